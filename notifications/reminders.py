"""Reminders of inbox work (before the due date and again once overdue) and the daily digest."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User

from .models import Channel, EmailLog, Kind, Notification

logger = logging.getLogger(__name__)

#: A task is reminded this many days before its due date.
REMIND_DAYS_BEFORE = 3


def reminders_send(*, today: dt.date | None = None) -> int:
    """Remind every active user of the inbox tasks due within :data:`REMIND_DAYS_BEFORE` days, and again
    once overdue (each reminder once per task and deadline). Returns how many notices were created."""
    from inbox.selectors import dated_tasks

    from .services import notify

    today = today or timezone.localdate()
    created = 0
    users = User.objects.filter(is_active=True).select_related("organisation").order_by("pk")
    for user in users.iterator(chunk_size=200):
        for task in dated_tasks(user, today):
            days = task.days_left(today)
            if days is None or days > REMIND_DAYS_BEFORE:
                continue
            overdue = days < 0
            with translation.override(settings.LANGUAGE_CODE):
                values = {
                    "action": task.action,
                    "code": task.code or task.subject,
                    "due": task.due.strftime("%d/%m/%Y") if task.due else "",
                    "days": abs(days),
                }
                if overdue:
                    title = _("Quá hạn: %(action)s — %(code)s (hạn %(due)s)") % values
                    body = _("Việc “%(action)s” của %(code)s đã quá hạn %(days)s ngày.") % values
                else:
                    title = _("Sắp đến hạn: %(action)s — %(code)s (hạn %(due)s)") % values
                    body = _("Việc “%(action)s” của %(code)s đến hạn sau %(days)s ngày.") % values
            project = None
            if task.project_id:
                from projects.models import Project

                project = Project.objects.filter(pk=task.project_id).first()
            with transaction.atomic():
                created += len(
                    notify(
                        kind=Kind.OVERDUE if overdue else Kind.DUE_SOON,
                        recipients=[user],
                        title=title,
                        body=body + " " + task.subject,
                        url=task.url,
                        project=project,
                        dedupe_key=f"{'overdue' if overdue else 'due'}:{task.key}"[:120],
                    )
                )
    return created


def digests_send(*, now: dt.datetime | None = None) -> int:
    """One email per user gathering the notices they chose to receive as a digest and have not yet
    had in one. Returns how many digests were queued."""
    from .mailer import render_digest_email
    from .services import enqueue_email

    now = now or timezone.now()
    pending = (
        Notification.objects.filter(channel=Channel.DIGEST, digested_at__isnull=True)
        .select_related("user")
        .order_by("user_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = {}
    for notice in pending.iterator(chunk_size=500):
        by_user.setdefault(notice.user_id, []).append(notice)
    sent = 0
    for notices in by_user.values():
        user = notices[0].user
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for n in notices]).update(digested_at=now)
            if not user.is_active or not user.email:
                continue
            log = EmailLog.objects.create(
                user=user,
                kind="digest",
                to=user.email,
                **render_digest_email(user, notices, timezone.localdate(now)),
            )
            enqueue_email(log.pk)
            sent += 1
    return sent
