"""Permission matrix for the notifications pages: everyone has their own list and preferences; a
notice belongs to one user (anyone else gets 404)."""

from __future__ import annotations

from tests.matrix import READ_ALL, Case

ALL_REDIRECT = {"staff_a": 302, "manager_a": 302, "staff_b": 302, "national_manager": 302, "admin": 302}
OWN_NOTICE = {"staff_a": 302, "manager_a": 404, "staff_b": 404, "national_manager": 404, "admin": 404}


def setup(world) -> None:
    from notifications.models import Channel, Kind, Notification

    world.notice_a = Notification.objects.create(
        user=world.staff_a,
        kind=Kind.APPROVED,
        channel=Channel.IN_APP,
        title="Đề án TST đã được phê duyệt",
        url="/de-an/",
    )


def _every_kind(chosen: dict[str, str]) -> dict[str, str]:
    """A channel for every kind of notice (the form asks for each; a new kind must not break the case)."""
    from notifications.models import Kind

    return {kind.value: chosen.get(kind.value, "email") for kind in Kind}


CASES = [
    Case("notifications:list", READ_ALL),
    Case("notifications:bell", READ_ALL),
    Case("notifications:list", READ_ALL, query="chua-doc=1", id="get:notifications:list-unread"),
    Case("notifications:open", OWN_NOTICE, kwargs=lambda w: {"pk": w.notice_a.pk}),
    Case("notifications:mark_all_read", ALL_REDIRECT, method="post"),
    Case("notifications:preferences", READ_ALL),
    Case(
        "notifications:preferences",
        ALL_REDIRECT,
        method="post",
        data=lambda w: _every_kind(
            {"due_soon": "digest", "project_returned": "none", "project_approved": "in_app"}
        ),
    ),
]
