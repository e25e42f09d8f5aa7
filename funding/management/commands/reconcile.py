"""``manage.py reconcile``: check every money invariant against the ledger entries (funding.reconcile).

Prints each difference and exits with status 1 when there is any, 0 when everything agrees. The run is
stored (admin, inbox); ``--notify`` also tells the administrators, as the nightly Celery beat run does.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from funding.reconcile import CHECKS, reconcile, reconcile_run


class Command(BaseCommand):
    help = "Đối soát mọi số liệu kinh phí với sổ bút toán; thoát với mã 1 nếu có chênh lệch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--notify", action="store_true", help="báo quản trị viên khi có chênh lệch")
        parser.add_argument("--only", nargs="+", choices=sorted(CHECKS), help="chỉ chạy các kiểm tra này")
        parser.add_argument("--limit", type=int, default=50, help="số chênh lệch tối đa mỗi kiểm tra")
        parser.add_argument("--no-record", action="store_true", help="không lưu lần chạy")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["only"] or options["no_record"]:
            differences = reconcile(only=options["only"], limit=options["limit"])
        else:
            run = reconcile_run(trigger="command", notify_admins=options["notify"], limit=options["limit"])
            from funding.reconcile import Difference

            differences = [Difference(**d) for d in run.differences]
        for difference in differences:
            self.stderr.write(str(difference))
        if differences:
            self.stderr.write(f"Đối soát: {len(differences)} chênh lệch.")
            sys.exit(1)
        self.stdout.write("Đối soát: mọi số liệu khớp với sổ bút toán.")
