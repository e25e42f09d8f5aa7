"""What every money service shares: the audit context, the version check, amount and state checks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pghistory
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError
from projects.models import Project

from .. import gates


@contextmanager
def _audited(user: Any, action: str, **extra: Any) -> Iterator[None]:
    with (
        transaction.atomic(),
        pghistory.context(user=user.pk, username=user.username, action=action, **extra),
    ):
        yield


def _check_version(current: int, expected: int | None) -> None:
    if expected is not None and int(expected) != current:
        raise Conflict(
            _("Dữ liệu đã được người khác thay đổi sau khi bạn mở biểu mẫu. Hãy tải lại trang và nhập lại."),
            code="stale",
        )


def _positive(amount: Any, field: str = "amount") -> int:
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise DomainError(_("Số tiền không hợp lệ."), field=field)
    if amount <= 0:
        raise DomainError(_("Số tiền phải lớn hơn 0."), field=field)
    return amount


def _require_gate(action: str, project: Project) -> None:
    """Refuse ``action`` unless the project's state allows it (:mod:`funding.gates`)."""
    from ..models import Settlement

    gates.require(action, project.status, settled=Settlement.objects.filter(project=project).exists())
