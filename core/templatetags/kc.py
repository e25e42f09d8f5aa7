"""Template filters for money, numbers and dates, built into every template (see settings)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol

from django import template
from django.http import QueryDict
from django.utils import timezone

from accounts.permissions import has_perm
from core.money import format_vnd, format_vnd_words

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class _Due(Protocol):
    """An inbox task, or anything else with a due date."""

    def days_left(self, today: dt.date) -> int | None: ...


register = template.Library()


@register.filter
def vnd(amount: int | None) -> str:
    """``6610000000|vnd`` → ``6.610.000.000 ₫``."""
    return format_vnd(amount)


@register.filter
def vnd_words(amount: int | None) -> str:
    """``6610000000|vnd_words`` → ``6,61 tỷ đồng``."""
    return format_vnd_words(amount)


@register.filter
def num(value: int | None) -> str:
    """Integer with Vietnamese thousands separators: ``12500`` → ``12.500``."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}".replace(",", ".")


@register.filter
def pct(value: float | None, digits: int = 1) -> str:
    """``0.4567|pct`` → ``45,7%`` (ratios only, never money)."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%".replace(".", ",")


@register.filter
def dmy(value: dt.date | dt.datetime | None) -> str:
    """A date as dd/mm/yyyy (datetimes in local time)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y")
    return value.strftime("%d/%m/%Y")


@register.filter
def dmy_hm(value: dt.datetime | None) -> str:
    """A datetime as dd/mm/yyyy HH:MM in local time."""
    if value is None or value == "":
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%d/%m/%Y %H:%M")


@register.filter
def can(user: User | AnonymousUser, permission: str) -> bool:
    """``{% if user|can:"facility.change" %}``: the role table in accounts.permissions."""
    return has_perm(user, permission)


@register.filter
def days_left(task: _Due, today: dt.date) -> int | None:
    """``task|days_left:today``: days until the task's due date (negative once overdue)."""
    return task.days_left(today)


@register.filter
def abs_int(value: int | None) -> int | None:
    return None if value is None else abs(int(value))


@register.filter
def fields_in_error(form: object) -> list:
    """The visible bound fields of ``form`` that carry errors, for the error summary's links."""
    visible = getattr(form, "visible_fields", None)
    return [field for field in visible() if field.errors] if visible else []


@register.filter
def active_filters(form: object) -> int:
    """How many of a bound filter form's fields hold a value (the "Lọc (n)" button on a phone)."""
    data = getattr(form, "data", None)
    if not isinstance(data, QueryDict):
        return 0
    fields = getattr(form, "fields", {})
    return sum(1 for name in fields if any(str(v).strip() for v in data.getlist(name)))


@register.filter
def mask_id(value: str | None) -> str:
    """A personal ID (CCCD) masked: ``0010******45``."""
    from core.personal_data import mask_personal_id

    return mask_personal_id(value)


@register.filter
def mask_phone(value: str | None) -> str:
    """A phone number masked: ``09******21``."""
    from core.personal_data import mask_phone as _mask_phone

    return _mask_phone(value)


@register.filter
def masked_identifier(facility: object) -> str:
    """A facility's tax code, or its owner's personal ID masked when it has no tax code."""
    from core.personal_data import mask_personal_id

    tax_code = getattr(facility, "tax_code", "")
    return tax_code or mask_personal_id(getattr(facility, "personal_id", ""))
