"""Template helpers other apps' pages use to show projects (one query, no N+1)."""

from __future__ import annotations

from typing import Any

from django import template

from projects.models import Project, ProjectBeneficiary

register = template.Library()


@register.simple_tag(takes_context=True)
def facility_support(context: Any, facility: Any) -> list[ProjectBeneficiary]:
    """The project links of a facility, newest year first, with project and category fetched.

    Only projects the viewing user may see: a facility moved to another province keeps the links of
    its former province's projects, which are not the new province's to read.
    """
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return list(
        ProjectBeneficiary.objects.filter(facility=facility, project__in=Project.objects.visible_to(user))
        .select_related("project", "project__category")
        .order_by("-project__start_year", "-project__code")
    )
