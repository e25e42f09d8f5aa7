"""``manage.py generate_national_data --scale full|small --seed N``: the national-scale data set.

Replaces every row of the domain apps (facilities, projects, money, reports) in the current
database, so it refuses to run on a database whose name does not say it is for benchmarks or tests.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from benchdata.generator import SCALES, generate, verify
from benchdata.users import ensure_bench_users


def database_is_disposable(name: str) -> bool:
    return "bench" in name or name.startswith("test_")


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu quy mô toàn quốc (500.000 cơ sở, 50.000 đề án, 250.000 dòng kinh phí) "
        "để đo hiệu năng; xóa dữ liệu nghiệp vụ hiện có của CSDL đo hiệu năng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--allow-any-database",
            action="store_true",
            help="Cho phép chạy trên CSDL không có chữ 'bench' trong tên (xóa dữ liệu nghiệp vụ!).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = connection.settings_dict["NAME"]
        if not database_is_disposable(name) and not options["allow_any_database"]:
            raise CommandError(
                f"CSDL '{name}' không phải CSDL đo hiệu năng (tên phải chứa 'bench'); "
                "lệnh này xóa toàn bộ dữ liệu nghiệp vụ."
            )
        self.stdout.write(f"Tạo dữ liệu quy mô '{options['scale']}' (seed {options['seed']}) trong '{name}'")
        with transaction.atomic():
            ensure_bench_users()
            report = generate(options["scale"], options["seed"], log=self.stdout.write)
            problems = verify()
        for key, count in report.counts.items():
            self.stdout.write(f"  {key:<28} {count:>10,}")
        self.stdout.write(f"  tổng thời gian: {report.seconds['total']:.1f} s")
        if problems:
            raise CommandError("Dữ liệu không nhất quán: " + "; ".join(problems))
        self.stdout.write(self.style.SUCCESS("Xong."))
