"""``manage.py restore <folder>``: into an empty database and storage, then proven by the manifest's
row counts and money sums, and by the health check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.http import JsonResponse
from django.test import RequestFactory

from core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu vào CSDL và kho tệp trống, rồi đối chiếu số dòng, tổng tiền "
        "và kiểm tra sức khỏe."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("folder", help="Thư mục bản sao lưu (có manifest.json).")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        try:
            manifest = restore(folder)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã khôi phục {folder.name}: {len(manifest['rows'])} bảng, "
            f"{sum(manifest['rows'].values())} dòng, {manifest['stored_files']} tệp; "
            "số dòng và tổng tiền khớp manifest."
        )
        if "reconcile" in get_commands():
            call_command("reconcile", stdout=self.stdout)
        from core.views import HealthView

        response = HealthView.as_view()(RequestFactory().get("/healthz"))
        assert isinstance(response, JsonResponse)  # HealthView answers JSON
        self.stdout.write(f"healthz: {response.content.decode()}")
        if response.status_code != 200:
            raise CommandError("Kiểm tra sức khỏe thất bại sau khi khôi phục.")
