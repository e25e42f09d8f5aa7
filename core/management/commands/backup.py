"""``manage.py backup``: one dated folder with the database, the stored files and a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Sao lưu CSDL (pg_dump -Fc) và các tệp đã lưu, kèm manifest kích thước và SHA-256."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dir", help="Thư mục chứa các bản sao lưu (mặc định KC_BACKUP_DIR hoặc var/backups)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            folder = backup_create(root=Path(options["dir"]) if options["dir"] else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))
