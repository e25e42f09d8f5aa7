"""Form choices from the administrative map, cached: the map changes only with a new package."""

from __future__ import annotations

from core.caching import cached

from .models import Province


def province_choices() -> list[tuple[int, str]]:
    """(code, name) for the 34 provinces, cached for an hour (no query to render or clean a filter)."""

    def build() -> list[tuple[int, str]]:
        return list(Province.objects.order_by("name").values_list("code", "name"))

    return cached("regions:province-choices", build, 3600)
