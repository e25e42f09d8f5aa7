"""``manage.py refresh_report_summaries``: rebuild the dashboard's summary tables from the ledger.

Triggers keep them current in every transaction; run this after loading data with triggers off
(``COPY``), or to repair what ``manage.py reconcile`` reports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reports.summary import refresh_summaries


class Command(BaseCommand):
    help = "Dựng lại bảng tổng hợp của bảng điều khiển từ sổ kinh phí (trigger cập nhật trong mỗi giao dịch)."

    def handle(self, *args: Any, **options: Any) -> None:
        state = refresh_summaries()
        self.stdout.write(
            self.style.SUCCESS(f"Đã tổng hợp {state.projects:,} đề án trong {state.duration_ms} ms.")
        )
