"""Email: Vietnamese templates, and delivery of one logged message with its status and retries."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import EmailLog, EmailStatus, Notification

logger = logging.getLogger(__name__)

#: After this many failed attempts a message is marked failed and left alone.
MAX_ATTEMPTS = 5


def _render(template: str, context: dict[str, Any]) -> dict[str, str]:
    from .services import site_url

    context = {
        **context,
        "site_url": settings.KC_SITE_URL.rstrip("/"),
        "preferences_url": site_url(reverse("notifications:preferences")),
    }
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "body_text": render_to_string(f"notifications/email/{template}.txt", context),
            "body_html": render_to_string(f"notifications/email/{template}.html", context),
        }


def render_notification_email(notification: Notification) -> dict[str, str]:
    """Subject and bodies of the email for one notice."""
    from .services import site_url

    prefix = settings.EMAIL_SUBJECT_PREFIX
    link = site_url(notification.url) if notification.url.startswith("/") else notification.url
    rendered = _render(
        "notification",
        {"notification": notification, "user": notification.user, "link": link},
    )
    return {"subject": f"{prefix}{notification.title}"[:255], **rendered}


def render_digest_email(user: Any, notices: list[Notification], day: dt.date) -> dict[str, str]:
    """One email gathering the day's notices of the kinds the user wants as a digest."""
    from django.utils.translation import gettext as _

    from .services import site_url

    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Tổng hợp thông báo ngày %(day)s (%(n)s mục)") % {
            "day": day.strftime("%d/%m/%Y"),
            "n": len(notices),
        }
    items = [{"notice": n, "link": site_url(n.url) if n.url.startswith("/") else n.url} for n in notices]
    rendered = _render("digest", {"user": user, "items": items, "day": day})
    return {"subject": f"{settings.EMAIL_SUBJECT_PREFIX}{subject}"[:255], **rendered}


class TemporaryFailure(Exception):
    """The mail server refused or was unreachable; the task retries later."""


def email_deliver(*, log_pk: int) -> str:
    """Send one logged email. Idempotent: a message already sent (or being sent by another worker) is
    not sent again. On failure the attempt and error are logged and :class:`TemporaryFailure` is raised
    until :data:`MAX_ATTEMPTS`, after which the message is marked failed."""
    with transaction.atomic():
        log = EmailLog.objects.select_for_update(skip_locked=True).filter(pk=log_pk).first()
        if log is None or log.status in (EmailStatus.SENT, EmailStatus.FAILED, EmailStatus.SENDING):
            return log.status if log else "missing"
        log.status = EmailStatus.SENDING
        log.attempts += 1
        log.save(update_fields=["status", "attempts", "updated_at"])
    message = EmailMultiAlternatives(
        subject=log.subject,
        body=log.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[log.to],
    )
    if log.body_html:
        message.attach_alternative(log.body_html, "text/html")
    try:
        message.send(fail_silently=False)
    except Exception as exc:
        final = log.attempts >= MAX_ATTEMPTS
        EmailLog.objects.filter(pk=log.pk).update(
            status=EmailStatus.FAILED if final else EmailStatus.RETRYING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            updated_at=timezone.now(),
        )
        logger.warning("email %s attempt %s failed: %s", log.pk, log.attempts, exc)
        if final:
            return EmailStatus.FAILED
        raise TemporaryFailure(str(exc)) from exc
    EmailLog.objects.filter(pk=log.pk).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), last_error="", updated_at=timezone.now()
    )
    return EmailStatus.SENT


def stale_emails(*, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> list[int]:
    """Emails still queued (the broker was down) or stuck sending (a worker died) past ``older_than``;
    stuck ones go back to queued so they can be sent."""
    cutoff = timezone.now() - older_than
    EmailLog.objects.filter(status=EmailStatus.SENDING, updated_at__lt=cutoff).update(
        status=EmailStatus.RETRYING, updated_at=timezone.now()
    )
    return list(
        EmailLog.objects.filter(
            status__in=[EmailStatus.QUEUED, EmailStatus.RETRYING],
            updated_at__lt=cutoff,
            attempts__lt=MAX_ATTEMPTS,
        ).values_list("pk", flat=True)[:500]
    )
