"""Done when: a workbook made as a clerk would (LibreOffice; title rows, merged cells, headers without
diacritics, a SUM formula, dates as text, former Hòa Bình communes) brings five years of projects,
money and facilities in, and the dashboard filtered to former province Hòa Bình shows exactly the
workbook's totals, as does the Excel report built by the Celery task."""

from __future__ import annotations

import io
import shutil
import uuid

import pytest

from tests.imports.clerk import build_rows, facilities_workbook, libreoffice_convert, projects_workbook
from tests.imports.conftest import hoa_binh_communes, problems, run_import

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (shutil.which("soffice") or shutil.which("libreoffice")), reason="needs LibreOffice"
    ),
]


def _vinh_phuc_commune():
    from django.db.models import Count

    from regions.models import LegacyCommune

    return (
        LegacyCommune.objects.filter(legacy_district__legacy_province__name__icontains="Vĩnh Phúc")
        .annotate(n=Count("successors"))
        .filter(n=1)
        .select_related("legacy_district__legacy_province")
        .order_by("code")
        .last()
    )


def test_five_years_of_a_clerks_workbook_equal_the_dashboard_and_the_report(
    staff_a, manager_a, media, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    from beneficiaries import importing
    from core.files import sha256_of
    from reports import services as report_services
    from reports.selectors import Filters, dashboard_facts
    from reports.tasks import generate_report
    from tests.beneficiaries.factories import valid_tax_code
    from tests.reports.test_runs import _report

    hb = hoa_binh_communes(6)
    vp = _vinh_phuc_commune()
    facilities = [(f"Hợp tác xã lịch sử {i}", valid_tax_code(), hb[i]) for i in range(6)]
    sheets, expected = build_rows(hb, vp, [tax for _n, tax, _c in facilities])
    projects_workbook(tmp_path / "de-an-2021-2025.xlsx", sheets)
    facilities_workbook(tmp_path / "co-so.xlsx", facilities)
    outdir = tmp_path / "lo"
    projects_file, facilities_file = libreoffice_convert(
        [tmp_path / "de-an-2021-2025.xlsx", tmp_path / "co-so.xlsx"], outdir
    )

    # Facilities first, through the facility import (its own dry run → commit).
    upload = SimpleUploadedFile("co-so.xlsx", facilities_file.read_bytes())
    batch = importing.import_check(
        user=staff_a,
        upload=upload,
        kind="xlsx",
        province_id=staff_a.organisation.province_id,
        sha256=sha256_of(upload),
    )
    assert batch.status == "checked", batch.errors
    importing.import_commit(user=staff_a, batch=batch)

    history = run_import(staff_a, projects_file.read_bytes(), name="de-an-2021-2025.xlsx")
    assert history.status == "committed", problems(history)[:10]
    assert history.projects_total == 20 and history.breaches == 0
    read = {s["as"]: s for s in history.report["sheets"]}
    assert read["Kế hoạch kinh phí"]["formulas"] > 0  # the SUM column was read from its cached value
    assert read["Đề án"]["header_row"] == "4" and read["Đề án"]["skipped_rows"][:2] == [1, 2]

    hoa_binh = hb[0].legacy_district.legacy_province_id
    filters = Filters(
        year_from=2021, year_to=2025, province=staff_a.organisation.province_id, legacy_province=hoa_binh
    )
    for live in (True, False):
        facts = dashboard_facts(manager_a, filters, live=live)
        assert facts.project_count == expected.projects == 15
        assert facts.decided_count == expected.decided
        assert facts.approved == expected.approved
        assert facts.disbursed == expected.disbursed
        assert facts.planned_state == expected.planned.get("kcqg", 0) + expected.planned.get("kcdp", 0)
        assert facts.planned_counterpart == expected.planned["counterpart"]
        assert facts.total("settled") == expected.settled
        assert facts.facilities_supported == len(expected.facilities)
        assert facts.indicator("trainees") == expected.trainees

    run, _created = report_services.report_run_request(
        user=manager_a,
        report=_report("province_annual"),
        parameters={
            "year_from": 2021, "year_to": 2025, "province": staff_a.organisation.province_id,
            "funding_level": "", "legacy_province": hoa_binh,
        },
        idempotency_key=uuid.uuid4().hex,
    )  # fmt: skip
    generate_report.apply(args=[run.pk])  # the Celery task, run in this process
    run.refresh_from_db()
    assert run.status == "done", run.error
    with run.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()), read_only=True)
    totals = next(r for r in book["Theo nguồn"].iter_rows(values_only=True) if r[0] == "Tổng cộng")
    planned_all = sum(expected.planned.values())
    assert totals[1:7] == (
        planned_all,
        expected.approved,
        expected.advanced_net,
        expected.paid,
        expected.disbursed,
        expected.settled,
    )
