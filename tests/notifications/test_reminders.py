"""Reminders before a due date and again when overdue, once each; the beat schedule is in code."""

from __future__ import annotations

import datetime as dt

import pytest

from notifications.models import Kind, Notification
from notifications.reminders import reminders_send
from tests.factories import money_project

pytestmark = pytest.mark.django_db


def test_progress_report_reminded_before_the_25th_and_when_overdue(world, no_enqueue):
    Notification.objects.all().delete()
    project = money_project(world.province_a, status="in_progress", code="NH-1", created_by=world.staff_a)
    reminders_send(today=dt.date(2026, 5, 10))  # 15 days ahead: too early
    assert not Notification.objects.filter(project=project).exists()
    reminders_send(today=dt.date(2026, 5, 23))
    soon = Notification.objects.get(user=world.staff_a, project=project, kind=Kind.DUE_SOON)
    assert soon.title.startswith("Sắp đến hạn: Báo cáo tiến độ tháng 05/2026 — NH-1 (hạn 25/05/2026)")
    reminders_send(today=dt.date(2026, 5, 24))  # the same deadline is reminded once
    assert Notification.objects.filter(project=project, kind=Kind.DUE_SOON, user=world.staff_a).count() == 1
    reminders_send(today=dt.date(2026, 5, 27))
    late = Notification.objects.get(user=world.staff_a, project=project, kind=Kind.OVERDUE)
    assert "Quá hạn" in late.title and "quá hạn 2 ngày" in late.body
    # Only people whose inbox holds the task: not Hà Nội's staff, not the managers.
    assert not Notification.objects.filter(
        project=project, user__in=[world.staff_b, world.manager_a]
    ).exists()


def test_beat_schedule_is_declared_in_code():
    from khuyencong.celery import app
    from notifications import tasks  # noqa: F401 - registers the schedule

    schedule = app.conf.beat_schedule
    assert schedule["notifications.send_reminders"]["task"] == "notifications.tasks.send_reminders"
    assert schedule["notifications.send_digests"]["task"] == "notifications.tasks.send_digests"
    assert (
        schedule["notifications.requeue_stale_emails"]["task"] == "notifications.tasks.requeue_stale_emails"
    )
