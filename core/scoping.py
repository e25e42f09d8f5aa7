"""Province scope: the one mechanism every view, fragment, download, export and API route uses.

A model's queryset subclasses :class:`ScopedQuerySet` and names the lookup that reaches its
province (``province_lookup = "commune__province"``). ``Model.objects.visible_to(user)`` then returns
everything for national users and only the user's province otherwise; views fetch objects from it, so
another province's object is a 404, never a 403.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models


class ScopedQuerySet(models.QuerySet):
    province_lookup: str = "province"

    def visible_to(self, user: Any) -> Self:
        """Rows the user may see: all for national users, their province's otherwise, none for others."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_national:
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
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_national:
        return True
    return province_id is not None and user.province_id == province_id
