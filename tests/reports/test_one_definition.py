"""One definition per count (issue 11): "cơ sở được hỗ trợ", "đề án được phê duyệt" and the project
count are the same number on every sheet of every workbook, on the dashboard (summary and live), in
its .xlsx and in the summary line: the probe found 13 on one sheet and 94/82 on another."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.selectors import Filters, dashboard_facts, supported_beneficiaries
from tests.reports.test_runs import SCOPE_A, generate, rows_of, workbook

pytestmark = pytest.mark.django_db


def _value(sheet, label: str, column: int = 1):
    rows = [r for r in rows_of(sheet) if r and r[0] == label]
    assert len(rows) == 1, label
    return rows[0][column]


def _body(sheet, header_rows: int = 3) -> list[tuple]:
    return [r for r in rows_of(sheet)[header_rows:] if r and r[0] not in (None, "Tổng cộng")]


@pytest.fixture
def busier(dataset, province_a, staff_a):
    """A facility supported by two projects, one only by a project not yet approved (not counted),
    and a third beneficiary of P1 (counted until P1 is stopped)."""
    from projects.models import Project, ProjectBeneficiary
    from tests.factories import project_facility

    extra = project_facility(province_a, "Cơ sở chỉ có đề án chưa duyệt")
    ProjectBeneficiary.objects.create(project=dataset.p3, facility=extra, added_by=staff_a)
    third = project_facility(province_a, "Cơ sở thứ ba của đề án P1")
    ProjectBeneficiary.objects.create(project=dataset.p1, facility=third, added_by=staff_a)
    return dataset, Project, third


def test_every_sheet_and_screen_gives_the_same_counts(busier, media, client_for, manager_a, province_a):
    filters = Filters(2022, 2026, province=province_a.pk)
    facts = dashboard_facts(manager_a, filters)
    summary = dashboard_facts(manager_a, filters, live=False)
    supported = supported_beneficiaries(manager_a, filters).values("facility_id").distinct().count()
    assert facts.facilities_supported == summary.facilities_supported == supported == 3
    assert facts.decided_count == summary.decided_count == 2
    assert facts.project_count == summary.project_count == 3

    annual = workbook(generate(manager_a, "province_annual", province=province_a.pk, **SCOPE_A))
    assert _value(annual["Tổng hợp"], "Số cơ sở được hỗ trợ") == supported
    assert _value(annual["Tổng hợp"], "Số đề án đã được phê duyệt") == facts.decided_count
    assert _value(annual["Tổng hợp"], "Số đề án (mọi trạng thái)") == facts.project_count
    assert sum(r[1] for r in _body(annual["Theo trạng thái"])) == facts.project_count
    assert sum(r[2] for r in _body(annual["Theo nội dung"])) == facts.project_count
    assert len(_body(annual["Danh sách đề án"])) == facts.project_count

    facilities = workbook(generate(manager_a, "supported_facilities", province=province_a.pk, **SCOPE_A))
    assert _value(facilities["Tổng hợp"], "Số cơ sở được hỗ trợ") == supported
    listed = {(r[0], r[1]) for r in _body(facilities["Cơ sở được hỗ trợ"])}
    assert len(listed) == supported  # distinct facilities on the list sheet

    client = client_for(manager_a)
    page = client.get(
        reverse("reports:dashboard"), {"year_from": 2022, "year_to": 2026, "province": province_a.pk}
    )
    assert page.context["facts"].facilities_supported == supported
    assert f"{supported} cơ sở được hỗ trợ" in page.context["summary"]
    export = client.get(
        reverse("reports:dashboard_export"), {"year_from": 2022, "year_to": 2026, "province": province_a.pk}
    )
    sheet = load_workbook(io.BytesIO(export.content), read_only=True)["Tổng hợp"]
    assert _value(sheet, "Số cơ sở được hỗ trợ") == supported
    assert _value(sheet, "Số đề án đã được phê duyệt") == facts.decided_count


def test_a_stopped_project_supports_no_one(busier, manager_a, province_a):
    """Stopping the project takes its beneficiaries out of the count everywhere at once."""
    dataset, Project, _stopped = busier
    filters = Filters(2022, 2026, province=province_a.pk)
    Project.objects.filter(pk=dataset.p1.pk).update(status="stopped")
    facts = dashboard_facts(manager_a, filters)
    summary = dashboard_facts(manager_a, filters, live=False)
    supported = supported_beneficiaries(manager_a, filters).values("facility_id").distinct().count()
    assert facts.facilities_supported == summary.facilities_supported == supported == 1  # P2's only
