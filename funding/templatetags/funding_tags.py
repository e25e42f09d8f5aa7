"""``{% project_money project as money %}``: the money tab's data for the current user (fixed queries)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def project_money(context: dict[str, Any], project: Any) -> Any:
    from funding.selectors import project_money as build

    return build(project, context["request"].user)
