"""Who is told of a state change, by which channel, and that scope holds."""

from __future__ import annotations

import datetime as dt

import pytest

from notifications import services
from notifications.models import Channel, EmailLog, EmailStatus, Kind, Notification, NotificationPreference
from projects.services import project_transition
from tests.factories import ProjectFactory, UserFactory, project_facility

pytestmark = pytest.mark.django_db


def ready_project(world, **kwargs):
    from projects.models import ProjectBeneficiary

    project = ProjectFactory.create(province=world.province_a, created_by=world.staff_a, **kwargs)
    ProjectBeneficiary.objects.create(
        project=project,
        facility=project_facility(world.province_a, f"Cơ sở mây tre {project.code}"),
        added_by=world.staff_a,
    )
    return project


def test_submission_tells_the_province_managers_only(world, no_enqueue, django_capture_on_commit_callbacks):
    world.manager_a.email = "ld.phutho@example.vn"
    world.manager_a.save()
    project = ready_project(world)
    with django_capture_on_commit_callbacks(execute=True):
        project_transition(user=world.staff_a, project=project, action="submit")
    told = set(Notification.objects.filter(kind=Kind.SUBMITTED).values_list("user__username", flat=True))
    assert told == {"manager_a"}  # not manager_b (Hà Nội), not the national manager (KCĐP), not the actor
    notice = Notification.objects.get(user=world.manager_a)
    assert notice.project == project and project.code in notice.title
    assert notice.url == f"/de-an/{project.pk}/"
    log = EmailLog.objects.get(user=world.manager_a)
    assert log.status == EmailStatus.QUEUED and log.to == "ld.phutho@example.vn"
    assert "chờ thẩm định" in log.subject and project.title in log.body_text
    assert no_enqueue == [log.pk]  # handed to Celery only after commit


def test_national_managers_hear_of_national_money_projects(world, no_enqueue):
    project = ready_project(world, funding_level="kcqg")
    project_transition(user=world.staff_a, project=project, action="submit")
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"manager_a", "national_manager"}


def test_nothing_is_enqueued_when_the_step_rolls_back(world, no_enqueue, django_capture_on_commit_callbacks):
    from django.db import transaction

    project = ready_project(world)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        sid = transaction.savepoint_create()
        project_transition(user=world.staff_a, project=project, action="submit")
        transaction.savepoint_rollback(sid)
    assert not Notification.objects.exists() and not EmailLog.objects.exists()


def test_approval_tells_the_staff_who_carry_it(world, no_enqueue):
    project = ready_project(world, status="appraised")
    other_staff = UserFactory.create(username="cv_khac", organisation=world.staff_a.organisation)
    from projects.models import ProjectTransition

    ProjectTransition.objects.create(
        project=project, action="submit", from_status="draft", to_status="submitted", actor=other_staff
    )
    project_transition(
        user=world.manager_a,
        project=project,
        action="approve",
        decision_number="88/QĐ-SCT",
        decision_date=dt.date(2026, 4, 2),
        decision_signer="Nguyễn Văn Hùng",
        upload=_pdf(),
    )
    told = set(Notification.objects.filter(kind=Kind.APPROVED).values_list("user__username", flat=True))
    assert told == {"staff_a", "cv_khac"}
    notice = Notification.objects.get(user=world.staff_a)
    assert "88/QĐ-SCT" in notice.body and "02/04/2026" in notice.body and "ghi nhận hợp đồng" in notice.body


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "qd.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )


def test_scope_holds_whoever_the_caller_names(world, no_enqueue):
    project = ready_project(world)
    created = services.notify(
        kind=Kind.STOPPED,
        recipients=[world.staff_a, world.staff_b, world.manager_b, world.national_manager],
        title="Đề án ngừng",
        project=project,
    )
    assert {n.user.username for n in created} == {"staff_a", "national_manager"}


@pytest.mark.parametrize(
    ("channel", "notices", "emails"),
    [(Channel.EMAIL, 1, 1), (Channel.IN_APP, 1, 0), (Channel.DIGEST, 1, 0), (Channel.NONE, 0, 0)],
)
def test_each_user_chooses_per_kind(world, no_enqueue, channel, notices, emails):
    world.staff_a.email = "cv@example.vn"
    world.staff_a.save()
    NotificationPreference.objects.create(user=world.staff_a, kind=Kind.RETURNED, channel=channel)
    services.notify(kind=Kind.RETURNED, recipients=[world.staff_a], title="Trả lại")
    assert Notification.objects.count() == notices
    assert EmailLog.objects.count() == emails
    # Another kind keeps its default (email).
    services.notify(kind=Kind.APPROVED, recipients=[world.staff_a], title="Phê duyệt")
    assert EmailLog.objects.filter(kind=Kind.APPROVED).count() == 1


def test_reconcile_failures_reach_admins_through_the_api(world, no_enqueue):
    created = services.notify(
        kind=Kind.RECONCILE_FAILED,
        recipients=services.admins(),
        title="Đối soát: 2 chênh lệch",
        body="Tổng đã chi của phân bổ 12 khác tổng bút toán.",
        dedupe_key="reconcile:2026-05-02",
    )
    assert [n.user.username for n in created] == ["admin"]
    again = services.notify(
        kind=Kind.RECONCILE_FAILED, recipients=services.admins(), title="x", dedupe_key="reconcile:2026-05-02"
    )
    assert again == []


def test_unknown_kind_is_refused(world):
    with pytest.raises(ValueError):
        services.notify(kind="nonsense", recipients=[world.staff_a], title="x")
