"""Pages: registration, steps through the browser forms, uploads, downloads, list speed, history."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from core.errors import DomainError
from projects import services
from projects.models import Project, ProjectDocument, ProjectStatus
from tests.factories import ProjectFactory, activity_category, commune_of, project_facility
from tests.projects.conftest import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db


def detail(project, tab=""):
    url = reverse("projects:project_detail", kwargs={"pk": project.pk})
    return f"{url}?tab={tab}" if tab else url


def step(project, action):
    return reverse("projects:project_transition", kwargs={"pk": project.pk, "action": action})


def test_register_and_submit_in_one_form(client_for, staff_a, province_a, facilities_a):
    commune = commune_of(province_a, "xã")
    response = client_for(staff_a).post(
        reverse("projects:project_create"),
        {
            "title": "Hội chợ hàng thủ công mỹ nghệ Hòa Bình 2026",
            "province": province_a.pk,
            "start_year": 2026,
            "end_year": 2026,
            "funding_level": "kcdp",
            "category": activity_category("ND45-04").pk,
            "kind": "thuong",
            "selection_method": "dau_thau",
            "implementing_unit_name": "Trung tâm Khuyến công Phú Thọ",
            "communes": [commune.pk],
            "facilities": [f.pk for f in facilities_a],
            "total_cost": "350 triệu",
            "submit": "1",
        },
    )
    project = Project.objects.get(title__startswith="Hội chợ")
    assert response.status_code == 302
    assert project.status == ProjectStatus.SUBMITTED
    assert project.total_cost == 350_000_000
    assert project.code.startswith("PTH-2026-")
    assert project.beneficiaries.count() == 2


def test_register_with_bad_input_answers_400_with_messages(client_for, staff_a, province_a):
    response = client_for(staff_a).post(
        reverse("projects:project_create"),
        {"title": "", "province": province_a.pk, "start_year": 2027, "end_year": 2026, "total_cost": "abc"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Năm kết thúc không được trước năm bắt đầu." in body
    assert "Số tiền không hợp lệ" in body
    assert not Project.objects.exists()


def test_flagship_needs_two_categories_and_more_than_a_year(staff_a, province_a, facilities_a):
    kwargs = {
        "user": staff_a,
        "title": "Đề án điểm mây tre đan",
        "funding_level": "kcqg",
        "category": activity_category("ND45-03"),
        "kind": "diem",
        "implementing_unit_name": "Trung tâm",
        "communes": [commune_of(province_a, "xã")],
        "total_cost": 1_000_000_000,
    }
    with pytest.raises(DomainError, match="hơn một năm"):
        services.project_create(start_year=2026, end_year=2026, **kwargs)
    with pytest.raises(DomainError, match="ít nhất hai"):
        services.project_create(start_year=2026, end_year=2027, **kwargs)
    project = services.project_create(
        start_year=2026, end_year=2027, extra_categories=[activity_category("ND45-01")], **kwargs
    )
    assert project.kind == "diem"


def test_approve_through_the_page_with_decision_file(client_for, draft, staff_a, manager_a):
    services.project_submit(user=staff_a, project=draft)
    services.project_transition(
        user=manager_a, project=draft, action="appraise", appraisal_score=80, appraisal_recommendation="Đạt"
    )
    draft.refresh_from_db()
    client = client_for(manager_a)
    data = {
        "version": draft.version,
        "decision_number": "125/QĐ-SCT",
        "decision_date": "02/03/2026",
        "decision_signer": "Nguyễn Văn Hùng",
    }
    missing_file = client.post(step(draft, "approve"), data)
    assert missing_file.status_code == 400
    assert "cần có tài liệu: Quyết định" in missing_file.content.decode()
    draft.refresh_from_db()
    assert draft.status == "appraised"
    response = client.post(step(draft, "approve"), {**data, "file": pdf()})
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.status == "approved"
    assert draft.decision_date == datetime.date(2026, 3, 2)
    page = client.get(detail(draft)).content.decode()
    assert "125/QĐ-SCT" in page and "Bản được phê duyệt" in page


def test_illegal_step_via_page_is_409_and_changes_nothing(client_for, draft, manager_a):
    response = client_for(manager_a).post(step(draft, "approve"), {"version": draft.version})
    assert response.status_code == 409
    assert "Không thể" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_stale_form_is_refused(client_for, draft, staff_a):
    response = client_for(staff_a).post(step(draft, "submit"), {"version": draft.version + 5})
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_renamed_executable_is_rejected(client_for, draft, staff_a):
    fake = SimpleUploadedFile(
        "quyet-dinh.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf"
    )
    response = client_for(staff_a).post(
        reverse("projects:document_upload", kwargs={"pk": draft.pk}),
        {"document_type": "quyet_dinh", "title": "QĐ", "file": fake},
    )
    assert response.status_code == 400
    assert "Tệp bị từ chối" in response.content.decode()
    assert not ProjectDocument.objects.exists()


def test_oversized_file_is_rejected(client_for, draft, staff_a, settings):
    settings.KC_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("bien-ban.pdf", PDF_BYTES + b"0" * 4096, content_type="application/pdf")
    response = client_for(staff_a).post(
        reverse("projects:document_upload", kwargs={"pk": draft.pk}),
        {"document_type": "bien_ban_nghiem_thu", "file": big},
    )
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    assert not ProjectDocument.objects.exists()


def test_upload_then_download_only_in_scope(client_for, draft, staff_a, staff_b, national_manager):
    client = client_for(staff_a)
    response = client.post(
        reverse("projects:document_upload", kwargs={"pk": draft.pk}),
        {"document_type": "to_trinh", "title": "Tờ trình", "file": pdf("to-trinh.pdf")},
    )
    assert response.status_code == 302
    document = ProjectDocument.objects.get()
    assert document.file_kind == "pdf" and document.original_name == "to-trinh.pdf"
    assert not (document.file.name or "").endswith("to-trinh.pdf")  # stored under an opaque name
    url = reverse("projects:document_download", kwargs={"pk": document.pk})
    ok = client.get(url)
    assert ok.status_code == 200 and b"".join(ok.streaming_content) == PDF_BYTES
    assert "attachment" in ok["Content-Disposition"]
    assert client_for(staff_b).get(url).status_code == 404
    assert client_for(national_manager).get(url).status_code == 200


def test_list_filters_and_unaccented_search(client_for, staff_a, province_a, province_b, draft):
    other = ProjectFactory.create(
        province=province_a, title="Tập huấn chế biến chè", start_year=2024, end_year=2024
    )
    ProjectFactory.create(province=province_b, title="Máy sao chè Hà Nội")
    client = client_for(staff_a)
    url = reverse("projects:project_list")
    found = client.get(url, {"q": "may sao che"}).content.decode()
    assert draft.code in found and "Hà Nội" not in found and other.code not in found
    by_year = client.get(url, {"year": 2024}).content.decode()
    assert other.code in by_year and draft.code not in by_year
    by_category = client.get(url, {"category": activity_category("ND45-03").pk}).content.decode()
    assert draft.code in by_category and other.code not in by_category
    commune = draft.communes.first()
    assert (
        draft.code
        in client.get(url, {"commune": commune.pk, "status": "draft", "kind": "thuong"}).content.decode()
    )


def test_list_filters_by_year_range_and_province_as_the_dashboard_counts(
    client_for, national_manager, staff_a, province_a, province_b
):
    early = ProjectFactory.create(province=province_a, title="Hội chợ 2021", start_year=2021, end_year=2021)
    spanning = ProjectFactory.create(
        province=province_a, title="Mô hình 2022–2024", start_year=2022, end_year=2024
    )
    late = ProjectFactory.create(
        province=province_a, title="Đào tạo nghề 2026", start_year=2026, end_year=2026
    )
    hanoi = ProjectFactory.create(
        province=province_b, title="Máy Hà Nội 2023", start_year=2023, end_year=2023
    )
    url = reverse("projects:project_list")
    client = client_for(national_manager)
    in_range = client.get(url, {"year_from": 2023, "year_to": 2025}).content.decode()
    assert spanning.code in in_range and hanoi.code in in_range
    assert early.code not in in_range and late.code not in in_range
    only_a = client.get(
        url, {"year_from": 2023, "year_to": 2025, "province": province_a.code}
    ).content.decode()
    assert spanning.code in only_a and hanoi.code not in only_a
    # A province user asking for another province gets nothing of it (scope first, then the filter).
    response = client_for(staff_a).get(url, {"province": province_b.code})
    assert hanoi.code not in response.content.decode()


def test_list_query_count_does_not_grow(client_for, staff_a, province_a, django_assert_max_num_queries):
    for _ in range(30):
        ProjectFactory.create(province=province_a)
    client = client_for(staff_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("projects:project_list"), {"funding_level": "kcdp"})
    assert response.status_code == 200
    assert response.content.decode().count("/de-an/") >= 25


def test_detail_tabs_query_counts(client_for, draft, staff_a, manager_a, django_assert_max_num_queries):
    services.project_submit(user=staff_a, project=draft)
    client = client_for(manager_a)
    for tab in ("", "beneficiaries", "indicators", "documents", "history", "money"):
        with django_assert_max_num_queries(20):
            assert client.get(detail(draft, tab)).status_code == 200


def test_review_queue_lists_waiting_projects(client_for, draft, staff_a, manager_a, province_a):
    other = ProjectFactory.create(province=province_a)
    services.project_submit(user=staff_a, project=draft)
    page = client_for(manager_a).get(reverse("projects:review_queue")).content.decode()
    assert draft.code in page and other.code not in page


def test_double_funding_warning_must_be_acknowledged(
    client_for, draft, staff_a, manager_a, facilities_a, province_a
):
    earlier = ProjectFactory.create(province=province_a, category=draft.category, status="submitted")
    earlier.beneficiaries.create(facility=facilities_a[0], added_by=staff_a)
    services.project_submit(user=staff_a, project=draft)
    services.project_transition(
        user=manager_a, project=draft, action="appraise", appraisal_score=80, appraisal_recommendation="Đạt"
    )
    assert [c["project"] for c in services.double_funding_conflicts(draft)] == [earlier]
    page = client_for(manager_a).get(detail(draft)).content.decode()
    assert "Cảnh báo trùng hỗ trợ" in page
    with pytest.raises(DomainError, match="xác nhận cảnh báo"):
        services.project_transition(
            user=manager_a,
            project=draft,
            action="approve",
            decision_number="1/QĐ",
            decision_date=datetime.date(2026, 3, 2),
            decision_signer="A",
            upload=pdf(),
        )
    response = client_for(manager_a).post(
        reverse("projects:double_funding_acknowledge", kwargs={"pk": draft.pk}), {"note": "Khác hạng mục máy"}
    )
    assert response.status_code == 302
    services.project_transition(
        user=manager_a,
        project=draft,
        action="approve",
        decision_number="1/QĐ",
        decision_date=datetime.date(2026, 3, 2),
        decision_signer="A",
        upload=pdf(),
    )
    draft.refresh_from_db()
    assert draft.status == "approved"


def test_adjustment_keeps_every_version(client_for, draft, staff_a, manager_a):
    from tests.projects.test_workflow import walk

    walk(draft, ["submit", "appraise", "approve"], staff_a, manager_a)
    for n, cost in enumerate((500_000_000, 550_000_000), 1):
        services.project_adjust(
            user=manager_a,
            project=draft,
            kinds=["budget"],
            reason=f"Tăng giá thiết bị lần {n}",
            decision_number=f"2{n}/QĐ-SCT",
            decision_date=datetime.date(2026, 5, n),
            total_cost=cost,
        )
    versions = list(draft.versions.order_by("number"))
    assert [v.snapshot["total_cost"] for v in versions] == [450_000_000, 500_000_000, 550_000_000]
    draft.refresh_from_db()
    assert draft.total_cost == 550_000_000
    with pytest.raises(DomainError, match="chỉ sửa được"):
        services.project_update(user=staff_a, project=draft, total_cost=1)


def test_history_records_bulk_and_raw_changes(client_for, draft, staff_a):
    Project.objects.filter(pk=draft.pk).update(total_cost=999_000_000)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE projects_project SET title = %s WHERE id = %s", ["Tên sửa ngoài giao diện", draft.pk]
        )
    page = client_for(staff_a).get(detail(draft, "history")).content.decode()
    assert "999.000.000 ₫" in page
    assert "Tên sửa ngoài giao diện" in page
    assert "Thêm cơ sở thụ hưởng" in page and "Tạo đề án" in page
    assert "Thêm địa bàn" in page and draft.communes.first().name in page


def test_progress_report_and_facility_support_history(client_for, draft, staff_a, manager_a, facilities_a):
    from django.template.loader import render_to_string

    from tests.projects.test_workflow import walk

    walk(draft, ["submit", "appraise", "approve", "contract", "start"], staff_a, manager_a)
    response = client_for(staff_a).post(
        reverse("projects:progress_report_create", kwargs={"pk": draft.pk}),
        {"period": "20/04/2026", "percent_done": 40, "money_used": "120 triệu", "problems": "Chậm giao máy"},
    )
    assert response.status_code == 302
    assert draft.progress_reports.get().money_used == 120_000_000
    html = render_to_string(
        "projects/partials/facility_support_history.html", {"facility": facilities_a[0], "user": staff_a}
    )
    assert draft.code in html


def test_other_province_facility_cannot_be_added(draft, staff_a, province_b):
    outsider = project_facility(province_b, "Cơ sở ở Hà Nội")
    with pytest.raises(DomainError, match="không thuộc tỉnh"):
        services.project_add_beneficiary(user=staff_a, project=draft, facility=outsider)


def test_export_is_filtered_scoped_and_formula_safe(client_for, staff_a, province_a, province_b, draft):
    import io

    import openpyxl

    ProjectFactory.create(province=province_a, title='=HYPERLINK("http://x")', start_year=2024, end_year=2024)
    ProjectFactory.create(province=province_b, title="Dự án Hà Nội 2026")
    response = client_for(staff_a).get(reverse("projects:project_export"), {"year": 2026})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    titles = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert draft.title in titles
    assert "Dự án Hà Nội 2026" not in titles and not any(str(t).startswith("=") for t in titles)
    everything = client_for(staff_a).get(reverse("projects:project_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(everything.streaming_content))).active
    assert '\'=HYPERLINK("http://x")' in [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_adjust_beneficiaries_and_site_through_the_page(client_for, draft, staff_a, manager_a, province_a):
    from tests.projects.test_workflow import walk

    walk(draft, ["submit", "appraise", "approve"], staff_a, manager_a)
    newcomer = project_facility(province_a, "Hợp tác xã Miến dong Tân Lạc")
    keep = draft.beneficiaries.order_by("id").first().facility
    commune = draft.communes.first()
    client = client_for(manager_a)
    url = reverse("projects:project_adjust", kwargs={"pk": draft.pk})
    assert client.get(url).status_code == 200
    form = {
        "version": draft.version,
        "kinds": ["beneficiaries", "budget"],
        "reason": "Đổi đơn vị",
        "title": draft.title,
        "end_year": 2026,
        "total_cost": "450.000.000",
        "communes": [commune.pk],
        "decision_number": "44/QĐ-SCT",
        "decision_date": "09/04/2026",
    }
    refused = client.post(url, {**form, "implementing_unit_name": ""})
    assert (
        refused.status_code == 400 and "Cần chọn hoặc ghi tên đơn vị thực hiện." in refused.content.decode()
    )
    response = client.post(
        url,
        {
            "version": draft.version,
            "implementing_unit_name": draft.implementing_unit_name,
            "kinds": ["beneficiaries", "budget"],
            "reason": "Cơ sở thứ hai xin rút, thay bằng HTX miến dong.",
            "title": draft.title,
            "end_year": 2026,
            "total_cost": "480.000.000",
            "communes": [commune.pk],
            "facilities": [keep.pk, newcomer.pk],
            "decision_number": "45/QĐ-SCT",
            "decision_date": "10/04/2026",
            "file": pdf("qd-dieu-chinh.pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert set(draft.beneficiaries.values_list("facility__name", flat=True)) == {keep.name, newcomer.name}
    assert draft.total_cost == 480_000_000
    v1, v2 = draft.versions.order_by("number")
    assert len(v1.snapshot["beneficiaries"]) == 2 and newcomer.name not in v1.snapshot["beneficiaries"]
    assert newcomer.name in v2.snapshot["beneficiaries"] and v2.document is not None
    page = client.get(detail(draft)).content.decode()
    assert "Điều chỉnh lần 1" in page and "45/QĐ-SCT" in page
    assert staff_a and client_for(staff_a).get(url).status_code == 403


GARBAGE = [
    ("projects:project_transition", {"action": "submit"}, {"version": "abc"}),
    ("projects:project_transition", {"action": "nonsense"}, {"version": "1"}),
    ("projects:project_update", {}, {"title": "", "start_year": "x", "total_cost": "-5", "communes": ["zz"]}),
    ("projects:project_indicators", {}, {"machines": "-3", "demo_models": "abc"}),
    ("projects:beneficiary_add", {}, {"facility": "999999"}),
    ("projects:document_upload", {}, {"document_type": "virus"}),
    ("projects:project_create", None, {"title": "X" * 600, "communes": ["1"], "facilities": ["abc"]}),
]


@pytest.mark.parametrize(
    ("name", "kwargs", "data"), GARBAGE, ids=[g[0] + str(i) for i, g in enumerate(GARBAGE)]
)
def test_garbage_input_is_a_4xx_or_redirect_and_changes_nothing(
    client_for, draft, staff_a, name, kwargs, data
):
    before = (draft.version, draft.status, draft.beneficiaries.count(), ProjectDocument.objects.count())
    url_kwargs = None if kwargs is None else {"pk": draft.pk, **kwargs}
    response = client_for(staff_a).post(reverse(name, kwargs=url_kwargs), data)
    assert response.status_code in (302, 400, 404, 409)
    draft.refresh_from_db()
    assert (
        draft.version,
        draft.status,
        draft.beneficiaries.count(),
        ProjectDocument.objects.count(),
    ) == before
    assert Project.objects.count() == 1


def test_manager_steps_with_bad_values_are_refused(client_for, draft, staff_a, manager_a):
    services.project_submit(user=staff_a, project=draft)
    draft.refresh_from_db()
    client = client_for(manager_a)
    bad = client.post(
        step(draft, "appraise"),
        {"version": draft.version, "appraisal_score": "150", "appraisal_recommendation": ""},
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "100" in body
    empty_comment = client.post(step(draft, "return"), {"version": draft.version, "comment": ""})
    assert empty_comment.status_code == 400
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_decided_content_is_protected_in_the_database(draft, staff_a, manager_a):
    from django.db import InternalError, transaction

    from tests.projects.test_workflow import walk

    walk(draft, ["submit", "appraise", "approve"], staff_a, manager_a)
    for change in ({"total_cost": 1}, {"end_year": 2030}, {"decision_number": "999"}):
        with pytest.raises(InternalError, match="Cannot update"), transaction.atomic():
            Project.objects.filter(pk=draft.pk).update(**change)
    with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE projects_project SET total_cost = 1 WHERE id = %s", [draft.pk])
    Project.objects.filter(pk=draft.pk).update(status="contracted")  # the workflow's own column stays free
    services.project_adjust(
        user=manager_a,
        project=draft,
        kinds=["budget"],
        reason="Tăng giá",
        decision_number="3/QĐ",
        decision_date=datetime.date(2026, 4, 1),
        total_cost=470_000_000,
    )
    draft.refresh_from_db()
    assert draft.total_cost == 470_000_000


def test_acceptance_refuses_actual_indicator_beyond_the_column(province_a, staff_a):
    """An actual figure too big for the database is a field error, not a 500 at save time."""
    from projects import workflow
    from projects.forms import TransitionForm
    from projects.models import ProjectIndicator

    project = ProjectFactory.create(
        province=province_a,
        created_by=staff_a,
        status="in_progress",
        decision_number="125/QĐ-SCT",
        decision_date=datetime.date(2026, 3, 2),
    )
    ProjectIndicator.objects.create(project=project, kind="trainees", planned=20)
    data = {
        "decision_number": "05/BB-NT",
        "decision_date": "02/03/2026",
        "version": project.version,
        "actual_trainees": "9" * 30,
    }
    form = TransitionForm(data, transition=workflow.TRANSITIONS["accept"], project=project)
    assert not form.is_valid()
    assert "actual_trainees" in form.errors


def test_the_approval_page_shows_the_required_documents_as_a_checklist(client_for, draft, staff_a, manager_a):
    services.project_submit(user=staff_a, project=draft)
    services.project_transition(
        user=manager_a, project=draft, action="appraise", appraisal_score=80, appraisal_recommendation="Đạt"
    )
    client = client_for(manager_a)
    page = client.get(step(draft, "approve")).content.decode()
    assert 'id="kc-step-checklist"' in page
    assert '<li data-kc-doc="missing">' in page and "Quyết định" in page
    services.document_upload(
        user=staff_a, project=draft, document_type="quyet_dinh", title="QĐ 125", upload=pdf()
    )
    page = client.get(step(draft, "approve")).content.decode()
    assert '<li data-kc-doc="present">' in page and 'data-kc-doc="missing"' not in page
