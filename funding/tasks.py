"""Celery tasks of the money app and their beat schedule, in code (django-celery-beat is not used)."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from khuyencong.celery import app


@shared_task(name="funding.tasks.reconcile_nightly", ignore_result=True)
def reconcile_nightly() -> int:
    """Run ``reconcile`` and tell the administrators of any difference; returns how many were found."""
    from .reconcile import reconcile_run

    run = reconcile_run(trigger="beat", notify_admins=True)
    return len(run.differences)


# Nightly, after the day's work and before the reminders (06:00).
app.conf.beat_schedule["funding.reconcile_nightly"] = {
    "task": "funding.tasks.reconcile_nightly",
    "schedule": crontab(minute=15, hour=2),
}
