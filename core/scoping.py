"""Province scope: the one mechanism every view, form, fragment, download, export, raw query and API
route uses. Nothing else decides "a national user sees every province, anyone else their own".

- ``Model.objects.visible_to(user)``: a model's queryset subclasses :class:`ScopedQuerySet` and names
  the lookup that reaches its province (``province_lookup = "commune__province"``). Views fetch objects
  from it, so another province's object is a 404, never a 403.
- ``Province.objects.visible_to(user)``: the provinces a user may choose (choice fields, filters).
- :func:`fixed_province_id`: the one province a user is bound to (so a form can hide its chooser), or
  ``None`` when the user sees several.
- :func:`scope_sql`: the same rule as a SQL condition, for raw queries.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models


def _sees_all(user: Any) -> bool:
    return bool(user.is_national)


def _is_active_user(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


class ScopedQuerySet(models.QuerySet):
    province_lookup: str = "province"

    def visible_to(self, user: Any) -> Self:
        """Rows the user may see: all for national users, their province's otherwise, none for others."""
        if not _is_active_user(user):
            return self.none()
        if _sees_all(user):
            return self
        province_id = user.province_id
        if province_id is None:
            return self.none()
        return self.filter(**{self.province_lookup: province_id})

    def in_province(self, province_id: int | None) -> Self:
        """Narrow to one province (a filter chosen by the user, on top of ``visible_to``)."""
        if province_id is None:
            return self
        return self.filter(**{self.province_lookup: province_id})


def user_can_see_province(user: Any, province_id: int | None) -> bool:
    """Whether ``province_id`` is inside the user's scope."""
    if not _is_active_user(user):
        return False
    if _sees_all(user):
        return True
    return province_id is not None and user.province_id == province_id


def fixed_province_id(user: Any) -> int | None:
    """The one province the user is bound to; ``None`` for a user who sees every province (or none)."""
    if not _is_active_user(user) or _sees_all(user):
        return None
    return user.province_id


def sees_many_provinces(user: Any) -> bool:
    """Whether the user chooses among provinces (a province chooser is shown) rather than having one."""
    return _is_active_user(user) and _sees_all(user)


def scope_sql(user: Any, column: str) -> tuple[str, list[Any]]:
    """The scope as a SQL condition on ``column`` (a province id), with its parameters.

    ``("TRUE", [])`` for national users, ``("<column> = %s", [id])`` for a province's users, and
    ``("FALSE", [])`` for anyone else. ``user=None`` means a trusted caller (a scheduled task): no limit.
    """
    if user is None:
        return "TRUE", []
    if not _is_active_user(user):
        return "FALSE", []
    if _sees_all(user):
        return "TRUE", []
    if user.province_id is None:
        return "FALSE", []
    return f"{column} = %s", [user.province_id]
