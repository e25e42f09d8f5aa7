#!/usr/bin/env python
"""Bringing a province's past in (issue 10): hostile files, a clerk's 10,000-facility workbook, and
five years of projects with their money (when the project import exists).

* Hostile files (tests/core/hostile_files.py): each read in a fresh child process through the facility
  import's reader, as a web worker would; the figure is the peak RSS growth (VmHWM after the read
  minus VmRSS before it, with the peak reset through /proc/self/clear_refs) and the wall time.
  Budget: ≤ 200 MB and ≤ 5 s each.
* Facilities: a clerk-made workbook of 10,000 facilities (title rows, headers without diacritics,
  former Hòa Bình communes), dry run + commit inside a transaction rolled back afterwards. Budget 15 s.
* Projects: five years of a large province, generated deterministically: 2,000 past projects with
  20,000 money rows (advances, recoveries, payments), their cost plans, allocations, settlements,
  indicators and beneficiaries, in one workbook; the history import's dry run and commit (the Celery
  tasks' bodies) inside a transaction rolled back afterwards. Budget 60 s. ``BENCH_HISTORY_PROJECTS``
  changes the count (10 money rows each); ``BENCH_HISTORY_ONLY=projects`` (or hostile, facilities,
  comma-separated) runs parts alone.

``run(log) -> dict``; ``make bench`` runs it as the part "history".
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FACILITIES = 10_000
PROJECTS = int(os.environ.get("BENCH_HISTORY_PROJECTS", "2000"))


def _status_kib(key: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def hostile_child(name: str) -> dict[str, Any]:
    """Read one hostile file as the facility import does; memory growth and time."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    import django

    django.setup()
    from beneficiaries.importing.readers import read_rows
    from beneficiaries.importing.spec import FileStructureError
    from tests.core.hostile_files import HOSTILE

    data = HOSTILE[name]()
    try:  # warm the code paths once on a tiny valid file, so imports do not count as growth
        from tests.core.hostile_files import workbook

        read_rows(
            io.BytesIO(workbook('<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>')), "xlsx"
        )
    except FileStructureError:
        pass
    with open("/proc/self/clear_refs", "w") as fh:  # reset VmHWM to the current RSS
        fh.write("5")
    before = _status_kib("VmRSS")
    started = time.perf_counter()
    try:
        read_rows(io.BytesIO(data), "xlsx")
        outcome = "ACCEPTED"
    except FileStructureError as exc:
        outcome = exc.messages[0]
    seconds = time.perf_counter() - started
    growth = (_status_kib("VmHWM") - before) / 1024
    return {
        "file": name,
        "bytes": len(data),
        "seconds": round(seconds, 2),
        "rss_growth_mib": round(growth, 1),
        "outcome": outcome[:90],
    }


def measure_hostile(log: Any) -> list[dict[str, Any]]:
    from tests.core.hostile_files import HOSTILE

    results = []
    for name in HOSTILE:
        proc = subprocess.run(
            [sys.executable, __file__, "--hostile", name],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        line = next((x for x in proc.stdout.splitlines() if x.startswith("HOSTILE ")), None)
        row: dict[str, Any] = (
            json.loads(line.removeprefix("HOSTILE ")) if line else {"file": name, "error": proc.stderr[-300:]}
        )
        row["within_budget"] = bool(line) and row["seconds"] <= 5 and row["rss_growth_mib"] <= 200
        log(
            f"  {name:<28} {row.get('bytes', 0) / 1024:8.0f} KB {row.get('seconds', '–'):>6} s "
            f"+{row.get('rss_growth_mib', '–'):>6} MiB  {row.get('outcome', row.get('error', ''))[:60]}"
        )
        results.append(row)
    return results


def clerk_facility_workbook(rows: int) -> bytes:
    """10,000 facilities as a clerk keeps them: title rows, a two-row header, former communes."""
    import xlsxwriter
    from django.db.models import Count
    from stdnum.vn import mst

    from regions.models import LegacyCommune

    # Former communes of Hòa Bình (code 17) taken over whole by one new commune.
    whole = list(
        LegacyCommune.objects.filter(legacy_district__legacy_province__code=17)
        .annotate(n=Count("successors"))
        .filter(n=1)
        .select_related("legacy_district")
        .order_by("code")
    )
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    sheet = book.add_worksheet("Danh sach")
    sheet.write_string(0, 0, "DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN TỈNH HÒA BÌNH (CŨ)")
    header = [
        "STT",
        "Ten co so",
        "Loai hinh",
        "MST",
        "Xa cu",
        "Huyen cu",
        "Nam TL",
        "So LD",
        "So LD nu",
        "Dia chi",
    ]
    for col, text in enumerate(header):
        sheet.write_string(2, col, text)
    n = 0
    for i in range(rows):
        while True:
            nine = f"97{n:07d}"
            n += 1
            code = nine + str(mst.calc_check_digit(nine))
            if mst.is_valid(code):
                break
        commune = whole[i % len(whole)]
        r = 3 + i
        sheet.write_number(r, 0, i + 1)
        sheet.write_string(r, 1, f"Hợp tác xã đo tải lịch sử {i}")
        sheet.write_string(r, 2, "HTX")
        sheet.write_string(r, 3, code)
        sheet.write_string(r, 4, commune.name)
        sheet.write_string(r, 5, commune.legacy_district.name)
        sheet.write_string(r, 6, f"15/03/{2000 + i % 24}")
        sheet.write_number(r, 7, 20)
        sheet.write_number(r, 8, 9)
        sheet.write_string(r, 9, f"Xóm {i % 50}")
    book.close()
    return buffer.getvalue()


def measure_facilities(log: Any) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from accounts.models import User
    from beneficiaries import importing
    from core.files import sha256_of

    staff = User.objects.get(username="bench.staff")
    content = clerk_facility_workbook(FACILITIES)
    result: dict[str, Any] = {"rows": FACILITIES, "bytes": len(content)}
    assert staff.province_id is not None  # the bench's staff user belongs to a province
    with transaction.atomic():
        upload = SimpleUploadedFile("lich-su.xlsx", content)
        started = time.perf_counter()
        batch = importing.import_check(
            user=staff, upload=upload, kind="xlsx", province_id=staff.province_id, sha256=sha256_of(upload)
        )
        result["dry_run_s"] = round(time.perf_counter() - started, 2)
        result["status"] = batch.status
        if batch.status == "checked":
            started = time.perf_counter()
            batch = importing.import_commit(user=staff, batch=batch)
            result["commit_s"] = round(time.perf_counter() - started, 2)
            result["created"] = batch.rows_created
        else:
            result["errors"] = batch.errors[:3]
        result["total_s"] = round(result["dry_run_s"] + result.get("commit_s", 0), 2)
        transaction.set_rollback(True)
    log(f"  {FACILITIES:,} facilities (clerk workbook): {result}")
    return result


def past_projects_workbook(count: int, tax_codes: list[str]) -> tuple[bytes, int]:
    """``count`` past projects of former Hòa Bình, 2021–2025, 10 money rows each (deterministic)."""
    import xlsxwriter
    from django.db.models import Count

    from regions.models import LegacyCommune

    communes = list(
        LegacyCommune.objects.filter(legacy_district__legacy_province__code=17)
        .annotate(n=Count("successors"))
        .filter(n=1)
        .select_related("legacy_district")
        .order_by("code")
    )
    names: dict[str, int] = {}
    for c in communes:
        names[c.name] = names.get(c.name, 0) + 1
    communes = [c for c in communes if names[c.name] == 1]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    heads = {
        "Đề án": ["Mã đề án", "Tên đề án", "Năm bắt đầu", "Nội dung hoạt động", "Cấp kinh phí",
                  "Xã thực hiện", "Huyện cũ", "Tỉnh cũ", "Đơn vị thực hiện", "Số quyết định",
                  "Ngày quyết định", "Tổng kinh phí (đồng)", "Trạng thái", "Ngày hợp đồng",
                  "Ngày nghiệm thu"],
        "Cơ sở thụ hưởng": ["Mã đề án", "Mã số thuế"],
        "Kế hoạch kinh phí": ["Mã đề án", "Năm", "KCĐP", "Vốn đối ứng", "Tổng cộng"],
        "Kinh phí giao": ["Mã đề án", "Năm", "Nguồn", "Số tiền (đồng)", "Số quyết định", "Ngày quyết định"],
        "Tạm ứng, thanh toán": ["Mã đề án", "Nguồn", "Loại", "Số tiền (đồng)", "Số chứng từ",
                                "Ngày chứng từ"],
        "Quyết toán": ["Mã đề án", "Nguồn", "Số quyết toán (đồng)", "Số quyết định quyết toán",
                       "Ngày quyết toán"],
        "Chỉ tiêu": ["Mã đề án", "Chỉ tiêu", "Kế hoạch", "Thực hiện"],
    }  # fmt: skip
    sheets = {name: book.add_worksheet(name) for name in heads}
    rows = dict.fromkeys(heads, 0)

    def put(name: str, values: list[Any]) -> None:
        sheet = sheets[name]
        for col, value in enumerate(values):
            if isinstance(value, int):
                sheet.write_number(rows[name], col, value)
            elif value:
                sheet.write_string(rows[name], col, str(value))
        rows[name] += 1

    for name, head in heads.items():
        put(name, head)
    money_rows = 0
    for i in range(count):
        year = 2021 + i % 5
        code = f"HBH-LS-{year}-{i:05d}"
        commune = communes[i % len(communes)]
        state = (60 + i % 40) * 6_000_000  # divisible by 6 for six equal payments
        total = state * 2
        settled = year <= 2023
        put("Đề án", [code, f"Đề án lịch sử {i} hỗ trợ cơ sở CNNT", year, "ND45-01", "KCĐP", commune.name,
                      commune.legacy_district.name, "Hòa Bình", "Trung tâm Khuyến công tỉnh Hòa Bình",
                      f"{i}/QĐ-SCT", f"10/03/{year}", total, "Đã quyết toán" if settled else "Đã nghiệm thu",
                      f"01/04/{year}", f"15/10/{year}"])  # fmt: skip
        put("Cơ sở thụ hưởng", [code, tax_codes[i % len(tax_codes)]])
        put("Kế hoạch kinh phí", [code, year, state, state, total])
        put("Kinh phí giao", [code, year, "KCĐP", state, f"{i}/QĐ-GKP", f"15/03/{year}"])
        half = state * 35 // 100
        entries = [
            ("tạm ứng", half, "05/04"),
            ("tạm ứng", half, "05/06"),
            ("thu hồi tạm ứng", half, "20/10"),
            ("thu hồi tạm ứng", half, "20/10"),
        ] + [("thanh toán", state // 6, f"{20 + k}/10") for k in range(6)]
        for k, (kind, amount, day) in enumerate(entries):
            put("Tạm ứng, thanh toán", [code, "KCĐP", kind, amount, f"UNC-{i}-{k}", f"{day}/{year}"])
        money_rows += len(entries)
        if settled:
            put("Quyết toán", [code, "KCĐP", state, f"{i}/QĐ-QT", f"15/01/{year + 1}"])
            put("Quyết toán", [code, "Vốn đối ứng", state, f"{i}/QĐ-QT", f"15/01/{year + 1}"])
        put("Chỉ tiêu", [code, "Số học viên được đào tạo", 30, 31])
    book.close()
    return buffer.getvalue(), money_rows


def measure_projects(log: Any) -> dict[str, Any]:
    """Dry run + commit of the past-projects workbook (the Celery tasks' bodies), rolled back after."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.db.models import F

    from accounts.models import User
    from beneficiaries.models import Facility
    from core.files import sha256_of
    from funding.models import BudgetEnvelope
    from imports import services
    from imports.models import ProjectImport

    staff = User.objects.get(username="bench.staff")
    assert staff.organisation is not None and staff.organisation.province_id is not None
    province_id: int = staff.organisation.province_id
    taxes = list(
        Facility.objects.filter(province_id=province_id, status="active")
        .exclude(tax_code="")
        .order_by("pk")
        .values_list("tax_code", flat=True)[:PROJECTS]
    )
    started = time.perf_counter()
    content, money_rows = past_projects_workbook(PROJECTS, taxes)
    result: dict[str, Any] = {
        "projects": PROJECTS,
        "money_rows": money_rows,
        "bytes": len(content),
        "generate_s": round(time.perf_counter() - started, 2),
    }
    with transaction.atomic():
        # The province's real envelopes of those years, if any, are raised so the import fits them
        # (setup, not timed: a manager would adjust them first).
        BudgetEnvelope.objects.filter(province_id=province_id, year__range=(2021, 2025)).update(
            amount=F("amount") + 10**13
        )
        upload = SimpleUploadedFile("lich-su-5-nam.xlsx", content)
        batch = services.import_upload(
            user=staff, upload=upload, province_id=province_id, sha256=sha256_of(upload)
        )
        started = time.perf_counter()
        services.import_check_execute(batch_pk=batch.pk)
        result["dry_run_s"] = round(time.perf_counter() - started, 2)
        batch = ProjectImport.objects.get(pk=batch.pk)
        result["status"] = batch.status
        if batch.status == "checked":
            services.import_commit_request(user=staff, batch=batch)
            started = time.perf_counter()
            outcome = services.import_commit_execute(batch_pk=batch.pk)
            result["commit_s"] = round(time.perf_counter() - started, 2)
            batch = ProjectImport.objects.get(pk=batch.pk)
            result["outcome"] = outcome
            result["written"] = {"projects": batch.projects_created, "money_rows": batch.money_rows}
            if outcome != "committed":
                result["errors"] = (batch.errors[:3], batch.error)
        else:
            result["errors"] = batch.errors[:3]
        result["total_s"] = round(result["dry_run_s"] + result.get("commit_s", 0), 2)
        transaction.set_rollback(True)
    log(f"  {PROJECTS:,} past projects, {money_rows:,} money rows: {result}")
    return result


def run(log: Any = print) -> dict[str, Any]:
    """``BENCH_HISTORY_ONLY``: a comma list of hostile, facilities, projects (default: all three)."""
    parts = {p.strip() for p in os.environ.get("BENCH_HISTORY_ONLY", "").split(",") if p.strip()}
    parts = parts or {"hostile", "facilities", "projects"}
    result: dict[str, Any] = {}
    if "hostile" in parts:
        log("Tệp độc hại (mỗi tệp một tiến trình):")
        hostile = measure_hostile(log)
        worst = max(hostile, key=lambda r: (r.get("seconds", 0), r.get("rss_growth_mib", 0)))
        result.update(hostile=hostile, hostile_worst=worst.get("file"))
    if "facilities" in parts:
        log("Nhập cơ sở từ bảng tính của cán bộ:")
        result["facilities"] = measure_facilities(log)
    if "projects" in parts:
        log("Nhập đề án cũ và kinh phí:")
        result["projects"] = measure_projects(log)
    return result


def markdown(result: dict[str, Any]) -> list[str]:
    lines = [
        "",
        "## History import (issue 10)",
        "",
        "Hostile files, each in a fresh process (budget ≤ 5 s, ≤ 200 MB):",
        "",
    ]
    lines += ["| file | KB | seconds | RSS growth MiB | answer |", "|---|---|---|---|---|"]
    for r in result.get("hostile", []):
        lines.append(
            f"| {r['file']} | {r.get('bytes', 0) // 1024} | {r.get('seconds', '–')} "
            f"| {r.get('rss_growth_mib', '–')} | {r.get('outcome', r.get('error', ''))[:70]} |"
        )
    f = result.get("facilities", {})
    if f:
        lines += [
            "",
            f"Facilities: {f.get('rows')} rows from a clerk's workbook, dry run {f.get('dry_run_s')} s "
            f"+ commit {f.get('commit_s')} s = {f.get('total_s')} s (budget 15 s).",
        ]
    projects = result.get("projects")
    if projects:
        lines += [
            f"Projects: {projects.get('projects')} projects, {projects.get('money_rows')} money rows, "
            f"dry run {projects.get('dry_run_s')} s + commit {projects.get('commit_s')} s "
            f"= {projects.get('total_s')} s (budget 60 s).",
        ]
    return lines


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--hostile":
        print("HOSTILE " + json.dumps(hostile_child(sys.argv[2]), ensure_ascii=False))
