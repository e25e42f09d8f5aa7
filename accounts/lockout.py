"""Sign-in lockout (django-axes) around the portal's own pieces: the user and the administrators told
when an account is locked, and unlocking from the admin.

Issue 14's probe: behind the proxy every request came from one address, so five wrong passwords for a
named user locked that user out for everyone. Locks are per username *and* client address, and the
client address is the one a trusted proxy reports (core.middleware.real_client_address,
KC_TRUSTED_PROXIES).
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def lockout_notify(*, username: str, ip_address: str | None) -> None:
    """Tell the locked user and every administrator, once per lock (dedupe per 15-minute window)."""
    from accounts.models import User
    from notifications.models import Kind
    from notifications.services import admins, notify

    now = timezone.now()
    window = f"{now:%Y%m%d%H}{now.minute // 15}"
    user = User.objects.filter(username=username).first() if username else None
    where = ip_address or "?"
    if user is not None:
        notify(
            kind=Kind.ACCOUNT_LOCKED,
            recipients=[user],
            title=_("Tài khoản của bạn tạm bị khóa đăng nhập"),
            body=_(
                "Mật khẩu của tài khoản %(username)s bị nhập sai nhiều lần từ địa chỉ %(ip)s, "
                "nên đăng nhập từ địa chỉ đó bị khóa 15 phút. Đăng nhập từ nơi khác không bị ảnh hưởng. "
                "Nếu không phải bạn, hãy báo quản trị viên và đổi mật khẩu."
            )
            % {"username": username, "ip": where},
            dedupe_key=f"locked:{username}:{where}:{window}",
        )
    notify(
        kind=Kind.ACCOUNT_LOCKED,
        recipients=[a for a in admins() if user is None or a.pk != user.pk],
        title=_("Khóa đăng nhập: %(username)s") % {"username": username or "?"},
        body=_(
            "Tài khoản %(username)s bị khóa đăng nhập từ địa chỉ %(ip)s sau nhiều lần nhập sai mật khẩu. "
            "Mở khóa trong trang quản trị (Người dùng → Mở khóa đăng nhập)."
        )
        % {"username": username or "?", "ip": where},
        url="/quan-tri/axes/accessattempt/",
        dedupe_key=f"locked-admin:{username}:{where}:{window}",
    )


def _on_locked_out(sender: Any, request: HttpRequest, username: str, ip_address: str, **kwargs: Any) -> None:
    try:
        lockout_notify(username=username, ip_address=ip_address)
    except Exception:  # telling people must never turn a refused sign-in into a 500
        logger.exception("Could not send the lockout notices for %s", username)


def connect() -> None:
    from axes.signals import user_locked_out

    receiver(user_locked_out, dispatch_uid="kc_lockout_notify")(_on_locked_out)


def unlock(*, usernames: list[str]) -> int:
    """Clear the failed sign-ins of these users (every address): an administrator's unlock."""
    from axes.utils import reset

    return sum(reset(username=name) for name in usernames)
