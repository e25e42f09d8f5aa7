"""Celery tasks of the reports app and their beat schedules (in code: django-celery-beat has no
release for Django 6.1). Tasks take primary keys and call a service."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from celery.schedules import crontab
from celery.signals import worker_ready

from khuyencong.celery import app

logger = logging.getLogger(__name__)


@shared_task(name="reports.generate_report", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def generate_report(run_pk: int) -> str:
    """Build one report run's file (idempotent: a duplicate or redelivered message writes nothing new)."""
    from .services import report_run_execute

    return report_run_execute(run_pk=run_pk)


@shared_task(name="reports.sweep_stuck_runs", ignore_result=True)
def sweep_stuck_runs() -> dict[str, int]:
    """Send again the runs whose worker died or whose message never reached the broker."""
    from .services import report_runs_sweep

    return report_runs_sweep()


@worker_ready.connect
def sweep_when_a_worker_starts(sender: object = None, **kwargs: object) -> None:
    """A worker coming back takes over what died with the last one, without waiting for beat."""
    from .services import report_runs_sweep

    try:
        report_runs_sweep()
    except Exception:  # never keep a worker from starting
        logger.warning("sweep at worker start failed", exc_info=True)


@shared_task(name="reports.cleanup_old_files", ignore_result=True)
def cleanup_old_files() -> int:
    """Delete report files older than the retention period."""
    from .services import report_files_cleanup

    return report_files_cleanup()


@shared_task(name="reports.schedule_periodic_reports", ignore_result=True)
def schedule_periodic_reports(period: str, today: str | None = None) -> int:
    """Create this period's automatic report per province (``period``: month or quarter)."""
    from .scheduling import schedule_periodic

    return schedule_periodic(period=period, today=dt.date.fromisoformat(today) if today else None)


# Every minute: with a heartbeat every 10 s (stale after 45 s), a run interrupted by a dead worker
# is running again well within two minutes of a worker being back.
app.conf.beat_schedule["reports.sweep_stuck_runs"] = {
    "task": "reports.sweep_stuck_runs",
    "schedule": dt.timedelta(minutes=1),
}
app.conf.beat_schedule["reports.cleanup_old_files"] = {
    "task": "reports.cleanup_old_files",
    "schedule": crontab(minute=15, hour=3),
}
# Implementers report monthly, the Sở Công Thương quarterly (domain.md §6): generate both for the
# period just ended, early on the first day of the next one.
app.conf.beat_schedule["reports.monthly_province_reports"] = {
    "task": "reports.schedule_periodic_reports",
    "schedule": crontab(minute=0, hour=2, day_of_month=1),
    "args": ("month",),
}
app.conf.beat_schedule["reports.quarterly_province_reports"] = {
    "task": "reports.schedule_periodic_reports",
    "schedule": crontab(minute=30, hour=2, day_of_month=1, month_of_year="1,4,7,10"),
    "args": ("quarter",),
}
