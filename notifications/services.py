"""Writes of the notifications app. :func:`notify` is the API other apps call (issue 11 tells admins of
``reconcile`` failures through it); :func:`project_transition_notify` is called by the project workflow.

Every notice is written in the caller's transaction (it disappears if the work is rolled back); emails
are logged in the same transaction and handed to Celery only after commit, so a slow or failing mail
server never holds a request or a money transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.scoping import user_can_see_province

from .models import DEFAULT_CHANNELS, Channel, EmailLog, Kind, Notification, NotificationPreference

logger = logging.getLogger(__name__)


def channels_for(users: Iterable[User], kind: str) -> dict[int, str]:
    """Each user's channel for ``kind`` (their preference, else the default), in one query."""
    ids = [u.pk for u in users]
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list("user_id", "channel")
    )
    default = DEFAULT_CHANNELS.get(kind, Channel.IN_APP)
    return {pk: chosen.get(pk, default) for pk in ids}


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    url: str = "",
    project: Any = None,
    actor: User | None = None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Tell ``recipients`` about something: in the portal and, as each prefers, by email now or in the
    daily digest. Inactive users, the actor, and anyone whose scope does not cover ``project``'s
    province are left out. With ``dedupe_key`` a user is told once per key. Returns the new notices."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown notification kind: {kind}")
    people: dict[int, User] = {}
    for user in recipients:
        if not user.is_active or (actor is not None and user.pk == actor.pk):
            continue
        if project is not None and not user_can_see_province(user, project.province_id):
            continue
        people[user.pk] = user
    if not people:
        return []
    if dedupe_key:
        told = set(
            Notification.objects.filter(user_id__in=people, dedupe_key=dedupe_key).values_list(
                "user_id", flat=True
            )
        )
        people = {pk: u for pk, u in people.items() if pk not in told}
    channels = channels_for(people.values(), kind)
    notices = [
        Notification(
            user=user,
            kind=kind,
            channel=channels[pk],
            title=title[:255],
            body=body,
            url=url[:500],
            project=project,
            dedupe_key=dedupe_key,
        )
        for pk, user in people.items()
        if channels[pk] != Channel.NONE
    ]
    if not notices:
        return []
    with transaction.atomic():
        Notification.objects.bulk_create(notices)
        from .mailer import render_notification_email

        logs = [
            EmailLog(
                user=n.user,
                notification=n,
                kind=kind,
                to=n.user.email,
                **render_notification_email(n),
            )
            for n in notices
            if n.channel == Channel.EMAIL and n.user.email
        ]
        EmailLog.objects.bulk_create(logs)
        for log in logs:
            enqueue_email(log.pk)
    return notices


def enqueue_email(log_pk: int) -> None:
    """Hand an email to the worker once the transaction commits; a broker that is down leaves the row
    queued for :func:`notifications.tasks.requeue_stale_emails` instead of failing the request."""

    def send() -> None:
        from .tasks import send_email

        try:
            send_email.delay(log_pk)
        except Exception:  # the broker is down: the sweeper retries, the user's work stands
            logger.warning("email %s not enqueued; the sweeper will retry", log_pk, exc_info=True)

    transaction.on_commit(send)


def site_url(path: str) -> str:
    """An absolute link for emails (``KC_SITE_URL``)."""
    return settings.KC_SITE_URL.rstrip("/") + path


# --- The workflow's state changes ------------------------------------------------------------------

#: Workflow action → the kind it notifies (other steps notify nobody).
TRANSITION_KINDS: dict[str, str] = {
    "submit": Kind.SUBMITTED,
    "return": Kind.RETURNED,
    "approve": Kind.APPROVED,
    "reject": Kind.REJECTED,
    "stop": Kind.STOPPED,
}


def _reviewers(project: Any) -> list[User]:
    """Managers who decide on the project: its province's managers, and the national managers when the
    money is national (KCQG is approved by the Ministry)."""
    from projects.models import FundingLevel

    condition = Q(organisation__province_id=project.province_id)
    if project.funding_level == FundingLevel.KCQG:
        condition |= Q(organisation__province__isnull=True)
    users = User.objects.filter(condition, is_active=True, role=Role.MANAGER).select_related("organisation")
    return list(users)


def _owners(project: Any) -> list[User]:
    """Staff who carry the project: its creator and whoever submitted it."""
    from projects.models import ProjectTransition

    ids = set(
        ProjectTransition.objects.filter(project=project, action="submit").values_list("actor_id", flat=True)
    )
    ids.add(project.created_by_id)
    return list(User.objects.filter(pk__in=ids, is_active=True).select_related("organisation"))


def project_transition_notify(*, transition: Any) -> list[Notification]:
    """Tell the people concerned that a project changed state (called inside the transition)."""
    kind = TRANSITION_KINDS.get(transition.action)
    if kind is None:
        return []
    project = transition.project
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "code": project.code,
            "title": project.title,
            "actor": str(transition.actor),
            "province": project.province.name,
            "number": transition.decision_number or project.decision_number,
            "date": transition.decision_date.strftime("%d/%m/%Y") if transition.decision_date else "",
            "comment": transition.comment,
        }
        if kind == Kind.SUBMITTED:
            recipients = _reviewers(project)
            title = _("Đề án %(code)s chờ thẩm định, phê duyệt") % values
            body = _("%(actor)s đã gửi đăng ký đề án “%(title)s” (%(province)s).") % values
        else:
            recipients = _owners(project)
            title, body = {
                Kind.RETURNED: (
                    _("Đề án %(code)s bị trả lại để chỉnh sửa") % values,
                    _("%(actor)s trả lại đề án “%(title)s”. Nội dung cần chỉnh sửa: %(comment)s") % values,
                ),
                Kind.APPROVED: (
                    _("Đề án %(code)s đã được phê duyệt") % values,
                    _(
                        "Đề án “%(title)s” được phê duyệt theo quyết định số %(number)s ngày %(date)s. "
                        "Việc tiếp theo: ghi nhận hợp đồng."
                    )
                    % values,
                ),
                Kind.REJECTED: (
                    _("Đề án %(code)s không được phê duyệt") % values,
                    _("%(actor)s không phê duyệt đề án “%(title)s”. Lý do: %(comment)s") % values,
                ),
                Kind.STOPPED: (
                    _("Đề án %(code)s ngừng triển khai") % values,
                    _(
                        "Đề án “%(title)s” ngừng triển khai theo quyết định số %(number)s "
                        "ngày %(date)s: %(comment)s"
                    )
                    % values,
                ),
            }[Kind(kind)]
    return notify(
        kind=kind,
        recipients=recipients,
        title=title,
        body=body,
        url=reverse("projects:project_detail", args=[project.pk]),
        project=project,
        actor=transition.actor,
    )


def admins() -> list[User]:
    """Active administrators (for system notices such as ``reconcile`` failures)."""
    return list(
        User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True).select_related(
            "organisation"
        )
    )


# --- A user's own notices and preferences -----------------------------------------------------------


def notification_mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one of the user's notices read, or all of them; returns how many changed."""
    qs = Notification.objects.for_user(user).unread()
    if notification is not None:
        qs = qs.filter(pk=notification.pk)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user: User, channels: dict[str, str]) -> None:
    """Store the user's channel per kind (unknown kinds or channels are refused)."""
    for kind, channel in channels.items():
        if kind not in Kind.values or channel not in Channel.values:
            raise ValueError(f"Bad preference {kind}={channel}")
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"channel": channel})
