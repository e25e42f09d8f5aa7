"""``manage.py refresh_report_summaries``: rebuild the dashboard's summary tables now (Celery beat
does it every five minutes; run this after loading data in bulk)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reports.summary import refresh_summaries, warm_cache


class Command(BaseCommand):
    help = "Cập nhật bảng tổng hợp của bảng điều khiển (Celery tự chạy 5 phút một lần)."

    def handle(self, *args: Any, **options: Any) -> None:
        state = refresh_summaries()
        warm_cache()
        self.stdout.write(
            self.style.SUCCESS(f"Đã tổng hợp {state.projects:,} đề án trong {state.duration_ms} ms.")
        )
