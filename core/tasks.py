"""Housekeeping tasks of the platform."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from khuyencong.celery import app


@shared_task(name="core.purge_login_attempts")
def purge_login_attempts() -> int:
    """Delete throttling records older than the cool-off window; returns how many went."""
    from axes.models import AccessAttempt, AccessFailureLog

    cutoff = timezone.now() - dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    deleted, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    old_logs = timezone.now() - dt.timedelta(days=180)
    AccessFailureLog.objects.filter(attempt_time__lt=old_logs).delete()
    return deleted


app.conf.beat_schedule["core.purge_login_attempts"] = {
    "task": "core.purge_login_attempts",
    "schedule": dt.timedelta(hours=1),
}
