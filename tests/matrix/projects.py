"""Permission matrix for the đề án pages (projects app)."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile

from tests.matrix import MANAGER_ONLY, READ_A, READ_ALL, STAFF_CHANGE_A, STAFF_ONLY, Case

# Staff act on province A's project; managers lack project.change (403); province B staff 404.
STAFF_POST_A = {"staff_a": 302, "manager_a": 403, "staff_b": 404, "national_manager": 403, "admin": 302}
# Managers act on province A; staff lack project.review, so the role check answers first (403).
MANAGER_GET_A = {"staff_a": 403, "manager_a": 200, "staff_b": 403, "national_manager": 200, "admin": 200}
MANAGER_POST_A = {"staff_a": 403, "manager_a": 302, "staff_b": 403, "national_manager": 302, "admin": 302}
# A manager's step on a draft: the role may, the state may not (409, nothing changes).
MANAGER_STEP_ON_DRAFT = {
    "staff_a": 403,
    "manager_a": 409,
    "staff_b": 404,
    "national_manager": 409,
    "admin": 409,
}


def setup(world) -> None:
    from projects.models import DocumentType, ProjectBeneficiary, ProjectDocument
    from tests.factories import ProjectFactory, project_facility

    pdf = b"%PDF-1.4\n%%EOF\n"
    world.project_facility_a = project_facility(world.province_a, "Hợp tác xã mây tre đan Phú Vinh")
    world.project_facility_a2 = project_facility(world.province_a, "Hộ kinh doanh chè Bùi Thị Lan")
    world.project_a = ProjectFactory.create(province=world.province_a, created_by=world.staff_a)
    world.project_link_a = ProjectBeneficiary.objects.create(
        project=world.project_a, facility=world.project_facility_a, added_by=world.staff_a
    )
    world.project_running_a = ProjectFactory.create(
        province=world.province_a,
        created_by=world.staff_a,
        status="in_progress",
        decision_number="125/QĐ-SCT",
        decision_date=datetime.date(2026, 3, 2),
    )
    world.project_b = ProjectFactory.create(province=world.province_b, created_by=world.staff_b)
    doc = ProjectDocument(
        project=world.project_a,
        document_type=DocumentType.SUBMISSION,
        title="Tờ trình",
        original_name="to-trinh.pdf",
        size=len(pdf),
        file_kind="pdf",
        sha256="0" * 64,
        uploaded_by=world.staff_a,
    )
    doc.file.save("to-trinh.pdf", ContentFile(pdf), save=True)
    world.project_doc_a = doc


def _pk(attr: str):
    return lambda w: {"pk": getattr(w, attr).pk}


CASES = [
    Case("projects:project_list", READ_ALL),
    Case("projects:project_list", READ_ALL, query="q=may+tre&year=2026&status=draft", id="list-filtered"),
    Case("projects:project_export", READ_ALL, query="year=2026"),
    Case("projects:review_queue", MANAGER_ONLY),
    Case("projects:project_create", STAFF_ONLY),
    Case("projects:facility_lookup", READ_ALL, query="q=may+tre"),
    Case("projects:project_detail", READ_A, kwargs=_pk("project_a")),
    *[
        Case(
            "projects:project_detail", READ_A, kwargs=_pk("project_a"), query=f"tab={tab}", id=f"detail-{tab}"
        )
        for tab in ("beneficiaries", "indicators", "money", "documents", "history")
    ],
    Case("projects:project_update", STAFF_CHANGE_A, kwargs=_pk("project_a")),
    Case(
        "projects:project_transition",
        STAFF_CHANGE_A,
        kwargs=lambda w: {"pk": w.project_a.pk, "action": "submit"},
        id="transition-submit-get",
    ),
    Case(
        "projects:project_transition",
        STAFF_POST_A,
        kwargs=lambda w: {"pk": w.project_a.pk, "action": "submit"},
        method="post",
        data=lambda w: {"version": w.project_a.version, "comment": "Đề nghị thẩm định"},
        id="transition-submit-post",
    ),
    Case(
        "projects:project_transition",
        MANAGER_STEP_ON_DRAFT,
        kwargs=lambda w: {"pk": w.project_a.pk, "action": "approve"},
        id="transition-approve-on-draft",
    ),
    Case("projects:project_adjust", {**MANAGER_GET_A}, kwargs=_pk("project_running_a")),
    Case("projects:progress_report_create", STAFF_CHANGE_A, kwargs=_pk("project_running_a")),
    Case(
        "projects:double_funding_acknowledge",
        MANAGER_POST_A,
        kwargs=_pk("project_a"),
        method="post",
        data=lambda w: {"note": "Hỗ trợ khác hạng mục"},
    ),
    Case(
        "projects:beneficiary_add",
        STAFF_POST_A,
        kwargs=_pk("project_a"),
        method="post",
        data=lambda w: {"facility": w.project_facility_a2.pk},
    ),
    Case(
        "projects:beneficiary_remove",
        STAFF_POST_A,
        kwargs=lambda w: {"pk": w.project_a.pk, "link_pk": w.project_link_a.pk},
        method="post",
    ),
    Case("projects:project_indicators", STAFF_CHANGE_A, kwargs=_pk("project_a")),
    Case("projects:document_upload", READ_A, kwargs=_pk("project_a")),
    Case("projects:document_download", READ_A, kwargs=_pk("project_doc_a")),
]

# --- Issue 12: several projects in one decision, and the dossier PDF ------------------------------


def _submitted_a(w):
    from tests.factories import ProjectFactory

    if not hasattr(w, "project_submitted_a"):
        w.project_submitted_a = ProjectFactory.create(
            province=w.province_a, created_by=w.staff_a, status="submitted"
        )
    return w.project_submitted_a


CASES += [
    Case("projects:bulk_decide", MANAGER_ONLY),
    Case("projects:bulk_decide", MANAGER_ONLY, query="action=approve", id="bulk-decide-approve"),
    Case(
        "projects:bulk_decide",
        {"staff_a": 403, "manager_a": 302, "staff_b": 403, "national_manager": 302, "admin": 302},
        method="post",
        data=lambda w: {"action": "return", "projects": [_submitted_a(w).pk], "comment": "Bổ sung dự toán"},
        id="bulk-decide-return",
    ),
    Case("projects:project_dossier_pdf", READ_A, kwargs=_pk("project_a")),
]
