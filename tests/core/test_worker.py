"""A real Celery worker, through the configured broker (Redis in CI), runs a task end to end."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (CI sets Redis)")
def test_real_worker_runs_a_task_through_the_broker():
    from axes.models import AccessAttempt
    from celery.contrib.testing.worker import start_worker

    from core.tasks import purge_login_attempts
    from khuyencong.celery import app

    old = AccessAttempt.objects.create(
        username="x",
        ip_address="10.1.1.1",
        user_agent="t",
        http_accept="*",
        path_info="/",
        failures_since_start=5,
    )
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - dt.timedelta(hours=2))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        result = purge_login_attempts.apply_async()
        # No result backend by design (tasks record state on rows): wait for the row to go.
        deadline = timezone.now() + dt.timedelta(seconds=30)
        while AccessAttempt.objects.filter(pk=old.pk).exists() and timezone.now() < deadline:
            import time

            time.sleep(0.2)
    assert result.id
    assert not AccessAttempt.objects.filter(pk=old.pk).exists()
