"""Template helpers other apps' pages use to show projects (one query, no N+1)."""

from __future__ import annotations

from typing import Any

from django import template

from projects.models import ProjectBeneficiary

register = template.Library()


@register.simple_tag
def facility_support(facility: Any) -> list[ProjectBeneficiary]:
    """The project links of a facility, newest year first, with project and category fetched."""
    return list(
        ProjectBeneficiary.objects.filter(facility=facility)
        .select_related("project", "project__category")
        .order_by("-project__start_year", "-project__code")
    )
