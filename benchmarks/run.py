#!/usr/bin/env python
"""``make bench``: the portal measured at national scale on PostgreSQL, beside references from the
same run.

* data: ``generate_national_data`` into a dedicated database (``kc_bench`` on the server of
  DATABASE_URL, or BENCH_DATABASE_URL), reused while scale, seed and migrations are unchanged;
* key pages through Django's test client: p50/p95 server time and query count, beside the page's raw
  SQL replayed (the database floor) and Django admin's changelist on the same data;
* throughput under gunicorn with wrk on loopback (bounded by ``-d``), a mixed staff/manager workload
  beside a bare Django view;
* report generation time per report type; import and export time and peak memory (each in a child
  process, ``resource.getrusage`` and ``tracemalloc``).

Prints the tables and writes JSON and Markdown under ``benchmarks/results/``.
Usage: ``python benchmarks/run.py --scale small|full [--seed N] [--regenerate] [--no-load]``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.parts.common import BENCH_DB, PROFILES, RESULTS  # noqa: E402
from benchmarks.parts.environment import (  # noqa: E402
    bench_database_url,
    configure_environment,
    ensure_database,
    ensure_dataset,
    machine,
    setup_django,
)
from benchmarks.parts.importexport import child_main, measure_import_export  # noqa: E402
from benchmarks.parts.output import Results, fmt, markdown  # noqa: E402, F401
from benchmarks.parts.pages import measure_bare, measure_pages, percentile  # noqa: E402, F401
from benchmarks.parts.report_times import measure_reports  # noqa: E402
from benchmarks.parts.throughput import measure_throughput, parse_wrk  # noqa: E402, F401


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=sorted(PROFILES), default="small")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--regenerate", action="store_true", help="tạo lại dữ liệu dù đã có")
    parser.add_argument("--no-load", action="store_true", help="bỏ qua đo thông lượng (gunicorn + wrk)")
    parser.add_argument(
        "--only",
        default="",
        help="chỉ chạy các phần: pages,reports,io,load,facilities,history (cách nhau dấu phẩy)",
    )
    parser.add_argument("--child", nargs=2, metavar=("TASK", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        child_main(*args.child)
        return 0

    started = time.monotonic()
    url = bench_database_url()
    ensure_database(url)
    configure_environment(url)
    setup_django()
    from django.core.management import call_command

    def log(text: str) -> None:
        print(text, flush=True)

    only = {part.strip() for part in args.only.split(",") if part.strip()}
    # "facilities" (benchmarks/facilities.py, the register's own deeper look) runs only when named.
    wanted = lambda part: part in only if only else part != "facilities"  # noqa: E731

    profile = PROFILES[args.scale]
    results = Results(args.scale, args.seed, dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    log(f"CSDL đo hiệu năng: {urlsplit(url).hostname}:{urlsplit(url).port or 5432}/{BENCH_DB}")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    results.machine = machine()
    log("Máy: " + json.dumps(results.machine, ensure_ascii=False))
    from benchdata.users import ensure_bench_users

    ensure_bench_users()
    results.dataset = ensure_dataset(args.scale, args.seed, args.regenerate, log)
    ensure_bench_users()

    @contextlib.contextmanager
    def section(name: str) -> Iterator[None]:
        # One failing part (another app's page mid-change) must not lose the others' figures.
        try:
            yield
        except Exception as exc:
            import traceback

            log(f"  LỖI trong phần {name}: {exc!r}")
            traceback.print_exc()
            results.errors.append(f"{name}: {exc!r}")

    if wanted("pages"):
        log("Trang chính:")
        with section("pages"):
            results.bare_view = measure_bare(profile["iterations"])
            results.pages = [asdict(p) for p in measure_pages(profile["iterations"], log)]
    if wanted("reports"):
        log("Báo cáo:")
        with section("reports"):
            results.reports = measure_reports(log)
    if wanted("io"):
        log("Nhập / xuất:")
        with section("io"):
            results.import_export = measure_import_export(profile, log)
    if wanted("facilities"):
        log("Sổ cơ sở (benchmarks/facilities.py):")
        with section("facilities"):
            from benchmarks import facilities

            results.facilities = facilities.run(args.scale if args.scale != "tiny" else "small", log=log)
    if wanted("history"):
        log("Nhập dữ liệu cũ (benchmarks/history.py):")
        with section("history"):
            from benchmarks import history

            results.history = history.run(log=log)
    if wanted("load") and not args.no_load:
        log("Thông lượng:")
        from django.db import connections

        connections.close_all()
        with section("load"):
            results.throughput = measure_throughput(profile, log)
    results.total_seconds = round(time.monotonic() - started, 1)
    results.load_average_end = [round(x, 2) for x in os.getloadavg()]

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    json_path = RESULTS / f"bench-{args.scale}-{stamp}.json"
    json_path.write_text(json.dumps(asdict(results), ensure_ascii=False, indent=1, default=str))
    table = markdown(results)
    (RESULTS / f"bench-{args.scale}-{stamp}.md").write_text(table)
    print()
    print(table)
    print(f"JSON: {json_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
