"""Register an API client (if new) and issue it a token; prints the key once (for scripts and load tests).

    manage.py api_token --client "Hệ thống Sở Công Thương Phú Thọ" \\
        --organisation "Trung tâm Khuyến công tỉnh Phú Thọ" --scope facilities:read --days 30

``--scope all-read`` gives every read scope, ``--scope all`` every scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Organisation
from core.errors import DomainError

from ...models import ALL_SCOPES, READ_SCOPES, ApiClient
from ...services import client_register, token_issue


class Command(BaseCommand):
    help = "Đăng ký hệ thống kết nối API (nếu chưa có) và cấp một mã truy cập; in mã một lần."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--client", required=True, help="Tên hệ thống.")
        parser.add_argument("--organisation", help="Tên cơ quan, đơn vị (khi đăng ký mới).")
        parser.add_argument("--scope", action="append", default=[], help="Quyền; lặp lại được.")
        parser.add_argument("--days", type=int, default=365, help="Số ngày hiệu lực.")
        parser.add_argument("--rate", type=int, default=600, help="Giới hạn lượt gọi mỗi phút (đăng ký mới).")
        parser.add_argument("--label", default="", help="Mô tả mã.")

    def handle(self, *args: Any, **options: Any) -> None:
        scopes: list[str] = []
        for scope in options["scope"] or ["all-read"]:
            scopes += list({"all-read": READ_SCOPES, "all": ALL_SCOPES}.get(scope, [scope]))
        client = ApiClient.objects.filter(name=options["client"]).first()
        try:
            if client is None:
                organisation = Organisation.objects.filter(name=options["organisation"] or "").first()
                if organisation is None:
                    raise CommandError("Không tìm thấy cơ quan, đơn vị (--organisation).")
                client = client_register(
                    actor=None,
                    name=options["client"],
                    organisation=organisation,
                    rate_per_minute=options["rate"],
                )
            _token, key = token_issue(
                actor=None,
                client=client,
                scopes=scopes,
                expires_at=timezone.now() + dt.timedelta(days=options["days"]),
                label=options["label"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(key)
