"""Celery tasks of the notifications app (routed to the ``mail`` queue by ``notifications.tasks.*``)
and their beat schedule, in code. Tasks take primary keys and call a service."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from celery.schedules import crontab

from khuyencong.celery import app


@shared_task(
    bind=True,
    name="notifications.tasks.send_email",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    max_retries=6,
)
def send_email(self, log_pk: int) -> str:
    """Send one logged email; retried with growing delays while the mail server fails."""
    from .mailer import TemporaryFailure, email_deliver

    try:
        return email_deliver(log_pk=log_pk)
    except TemporaryFailure as exc:
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc


@shared_task(name="notifications.tasks.requeue_stale_emails", ignore_result=True)
def requeue_stale_emails() -> int:
    """Enqueue again the emails left queued while the broker was down, or stuck by a dead worker."""
    from .mailer import stale_emails

    pks = stale_emails()
    for pk in pks:
        send_email.delay(pk)
    return len(pks)


@shared_task(name="notifications.tasks.send_reminders", ignore_result=True)
def send_reminders(today: str | None = None) -> int:
    """Remind each user of inbox work due soon, and again once it is overdue."""
    from .reminders import reminders_send

    return reminders_send(today=dt.date.fromisoformat(today) if today else None)


@shared_task(name="notifications.tasks.send_digests", ignore_result=True)
def send_digests() -> int:
    """Send the daily digest to each user who has notices waiting in it."""
    from .reminders import digests_send

    return digests_send()


app.conf.beat_schedule["notifications.requeue_stale_emails"] = {
    "task": "notifications.tasks.requeue_stale_emails",
    "schedule": dt.timedelta(minutes=10),
}
# Reminders early in the working day, the digest just after them (so it carries them).
app.conf.beat_schedule["notifications.send_reminders"] = {
    "task": "notifications.tasks.send_reminders",
    "schedule": crontab(minute=0, hour=6),
}
app.conf.beat_schedule["notifications.send_digests"] = {
    "task": "notifications.tasks.send_digests",
    "schedule": crontab(minute=30, hour=6),
}
