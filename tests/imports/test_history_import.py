"""Importing past projects and their money: dry run → commit, all or nothing, idempotent on the code,
money rules as they stood on each decision's date, the historical mark, provenance and the badge."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from funding.models import Allocation, BudgetEnvelope, MoneyEntry, Settlement
from imports.models import ImportedProject, ImportStatus
from projects.models import Project, ProjectTransition
from tests.beneficiaries.factories import FacilityFactory
from tests.imports.conftest import problems, run_import
from tests.imports.workbooks import merge, project_row, settled_project, workbook

pytestmark = pytest.mark.django_db
TR = 1_000_000


def test_template_has_every_sheet_and_a_vietnamese_guide_and_its_examples_never_import(staff_a, media):
    from imports.template import write_template

    buffer = io.BytesIO()
    write_template(buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    assert book.sheetnames == [
        "Hướng dẫn", "Đề án", "Cơ sở thụ hưởng", "Kế hoạch kinh phí", "Kinh phí giao",
        "Tạm ứng, thanh toán", "Quyết toán", "Chỉ tiêu",
    ]  # fmt: skip
    guide = " ".join(str(c.value) for row in book["Hướng dẫn"].iter_rows() for c in row if c.value)
    assert "hồ sơ lịch sử" in guide.lower() and "Trạng thái" in guide and "ND45-03" in guide
    batch = run_import(staff_a, buffer.getvalue())
    assert batch.status == ImportStatus.INVALID
    assert problems(batch) == [("Đề án", 0, "", "Tệp không có đề án nào.")]


def test_dry_run_writes_nothing_then_commit_writes_the_recorded_state_and_money(staff_a, hb, media):
    facility = FacilityFactory.create(province=staff_a.organisation.province)
    old = hb.communes[0]
    content = workbook(
        settled_project("HB-2021-001", tax_code=facility.tax_code, **{"Xã thực hiện": old.name})
    )
    batch = run_import(staff_a, content, commit=False)
    assert batch.status == ImportStatus.CHECKED, problems(batch)
    assert (batch.projects_total, batch.projects_created, batch.money_rows) == (1, 1, 3)
    assert not Project.objects.exists() and not MoneyEntry.objects.exists()

    from imports import services

    services.import_commit_request(user=staff_a, batch=batch)
    assert services.import_commit_execute(batch_pk=batch.pk) == "committed"
    project = Project.objects.get(code="HB-2021-001")
    assert project.status == "settled"
    assert not ProjectTransition.objects.filter(project=project).exists()  # no invented steps
    assert project.legacy_province_id == hb.province.code
    link = project.projectcommune_set.get()
    assert link.legacy_commune_id == old.code and link.commune_id == old.successors.get().code
    assert list(project.beneficiaries.values_list("facility_id", flat=True)) == [facility.pk]
    allocation = Allocation.objects.get(project=project)
    assert (allocation.amount, allocation.advanced, allocation.recovered, allocation.paid) == (
        200 * TR, 140 * TR, 140 * TR, 200 * TR,
    )  # fmt: skip
    lines = {line.source: line for line in Settlement.objects.get(project=project).lines.all()}
    assert (lines["kcdp"].actual, lines["kcdp"].returned, lines["counterpart"].actual) == (
        190 * TR,
        10 * TR,
        100 * TR,
    )
    assert project.indicators.get().actual == 32
    record = ImportedProject.objects.get(project=project)
    assert record.batch_id == batch.pk and not record.flagged
    # An envelope for that past year was made for the import and holds exactly its allocations.
    envelope = BudgetEnvelope.objects.get(province=project.province, year=2021, level="kcdp")
    assert envelope.amount == envelope.allocated == 200 * TR
    # Provenance in the audit history: the batch, the file's hash, who.
    from pghistory.models import Events

    event = Events.objects.filter(pgh_model="projects.ProjectEvent", pgh_obj_id=project.pk).get()
    assert event.pgh_context["action"] == "history_import"
    assert event.pgh_context["import_batch"] == batch.pk
    assert event.pgh_context["sha256"] == batch.sha256
    assert event.pgh_context["user"] == staff_a.pk
    money_event = Events.objects.filter(pgh_model="funding.MoneyEntryEvent").first()
    assert money_event is not None and money_event.pgh_context["import_batch"] == batch.pk


def test_reimport_updates_and_never_duplicates(staff_a, media):
    content = workbook(settled_project("HB-2021-001"))
    first = run_import(staff_a, content)
    assert first.status == ImportStatus.COMMITTED, problems(first)
    again = merge(
        settled_project("HB-2021-001", **{"Tên đề án": "Tên đã sửa"}),
        settled_project("HB-2022-002", year=2022),
    )
    second = run_import(staff_a, workbook(again))
    assert second.status == ImportStatus.COMMITTED, problems(second)
    assert (second.projects_created, second.projects_updated) == (1, 1)
    assert Project.objects.count() == 2
    assert Project.objects.get(code="HB-2021-001").title == "Tên đã sửa"
    assert MoneyEntry.objects.count() == 6 and Allocation.objects.count() == 2
    assert ImportedProject.objects.get(project__code="HB-2021-001").first_batch_id == first.pk
    third = run_import(staff_a, workbook(again))
    assert third.status == ImportStatus.COMMITTED and third.money_rows == 0
    assert MoneyEntry.objects.count() == 6 and Settlement.objects.count() == 2


def test_every_bad_cell_is_listed_with_sheet_row_column_and_nothing_is_written(staff_a, media):
    rows = settled_project("HB-2021-001")
    rows["Đề án"].append(
        project_row("HB-2021-002", **{"Ngày quyết định": "31/02/2021", "Trạng thái": "xong rồi"})
    )
    rows["Tạm ứng, thanh toán"].append(["HB-2021-001", 2021, "KCĐP", "thanh toán", "abc", "X1", "01/12/2021"])
    rows["Tạm ứng, thanh toán"].append(["HB-2099-999", 2021, "KCĐP", "thanh toán", 1000, "X2", "01/12/2021"])
    rows["Kinh phí giao"].append(["HB-2021-001", 2021, "Vốn đối ứng", 5 * TR, "1/QĐ", "15/03/2021"])
    batch = run_import(staff_a, workbook(rows))
    assert batch.status == ImportStatus.INVALID
    found = problems(batch)
    assert (
        "Đề án",
        3,
        "M (Ngày quyết định*)",
        "“31/02/2021” không phải ngày hợp lệ (ghi dạng ngày/tháng/năm).",
    ) in found
    assert any(
        s == "Đề án" and r == 3 and c.startswith("O ") and "Trạng thái “xong rồi”" in m
        for s, r, c, m in found
    )
    assert ("Tạm ứng, thanh toán", 5, "E (Số tiền (đồng)*)", "Số tiền “abc” không hợp lệ.") in found
    assert any(s == "Tạm ứng, thanh toán" and r == 6 and "HB-2099-999" in m for s, r, c, m in found)
    assert any(s == "Kinh phí giao" and r == 3 and c.startswith("C ") for s, r, c, m in found)
    assert not Project.objects.exists() and not MoneyEntry.objects.exists()


def test_a_breach_is_refused_unless_the_historical_mark_lets_it_in_flagged(staff_a, media):
    rows = settled_project("HB-2021-001")
    # An advance of 80 % (the ceiling for training is 70 %), and payments before acceptance.
    rows["Tạm ứng, thanh toán"][0][4] = 160 * TR
    rows["Tạm ứng, thanh toán"][1][4] = 160 * TR
    refused = run_import(staff_a, workbook(rows))
    assert refused.status == ImportStatus.INVALID
    assert any("vượt mức tối đa 70%" in m for _s, _r, _c, m in problems(refused))
    assert not Project.objects.exists()

    marked = settled_project(
        "HB-2021-001", **{"Hồ sơ lịch sử": "có", "Căn cứ ghi nhận": "Biên bản kiểm tra 12/BB-STC"}
    )
    marked["Tạm ứng, thanh toán"][0][4] = 160 * TR
    marked["Tạm ứng, thanh toán"][1][4] = 160 * TR
    batch = run_import(staff_a, workbook(marked))
    assert batch.status == ImportStatus.COMMITTED, problems(batch)
    assert batch.breaches == 1
    record = ImportedProject.objects.get(project__code="HB-2021-001")
    assert record.flagged and record.historical_note == "Biên bản kiểm tra 12/BB-STC"
    assert "vượt mức tối đa 70%" in record.breaches[0]["message"]
    assert record.breaches[0]["sheet"] == "Tạm ứng, thanh toán" and record.breaches[0]["row"] == 2


def test_money_the_ledger_cannot_hold_is_refused_even_with_the_mark(staff_a, media):
    rows = settled_project("HB-2021-001", **{"Hồ sơ lịch sử": "có"})
    rows["Tạm ứng, thanh toán"][2][4] = 260 * TR  # paid more than allocated
    batch = run_import(staff_a, workbook(rows))
    assert batch.status == ImportStatus.INVALID
    assert any("kể cả hồ sơ lịch sử" in m for _s, _r, _c, m in problems(batch))


@pytest.mark.parametrize(("decided", "breach"), [("10/03/2024", True), ("20/11/2025", False)])
def test_caps_are_those_in_force_on_the_decision_date(staff_a, media, decided, breach):
    """Machinery (ND45-03) at 45 % of a 400 tr cost: over the old 30 % rule, within the new 50 % one."""
    year = int(decided[-4:])
    rows = {
        "Đề án": [project_row("PT-M-1", **{
            "Nội dung hoạt động": "ND45-03", "Năm bắt đầu": year, "Năm kết thúc": year,
            "Ngày quyết định": decided, "Tổng kinh phí (đồng)": 400 * TR, "Trạng thái": "Đã phê duyệt",
        })],
        "Kế hoạch kinh phí": [["PT-M-1", year, "", 180 * TR, 220 * TR, "", ""]],
    }  # fmt: skip
    batch = run_import(staff_a, workbook(rows), commit=False)
    found = [m for _s, _r, _c, m in problems(batch)]
    assert any("mức hỗ trợ tối đa" in m for m in found) is breach, found


def test_sums_by_source_must_equal_the_cost(staff_a, media):
    rows = settled_project("HB-2021-001", **{"Tổng kinh phí (đồng)": 350 * TR})
    batch = run_import(staff_a, workbook(rows), commit=False)
    assert any("khác tổng kinh phí đề án" in m for _s, _r, _c, m in problems(batch))


def test_codes_of_another_province_or_made_in_the_portal_are_not_overwritten(staff_a, staff_b, media):
    from tests.factories import ProjectFactory

    ProjectFactory.create(
        code="HB-2021-001", province=staff_b.organisation.province, created_by=staff_b, updated_by=staff_b
    )
    ProjectFactory.create(
        code="HB-2021-002", province=staff_a.organisation.province, created_by=staff_a, updated_by=staff_a
    )
    batch = run_import(
        staff_a, workbook(merge(settled_project("HB-2021-001"), settled_project("HB-2021-002")))
    )
    messages = [m for _s, _r, _c, m in problems(batch)]
    assert "Mã đề án đã thuộc tỉnh/thành phố khác." in messages
    assert any("không phải dữ liệu cũ" in m for m in messages)


def test_staff_imports_only_into_their_own_province(staff_a, media):
    from core.errors import DomainError

    other = __import__("tests.factories", fromlist=["province"]).province("Thành phố Hà Nội")
    with pytest.raises(DomainError):
        run_import(staff_a, workbook(settled_project("HB-2021-001")), province_id=other.pk)
