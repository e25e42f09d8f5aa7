"""Form helpers shared by the apps."""

from __future__ import annotations

from typing import Any


def mark_required(form: Any, *names: str) -> None:
    """Star ``names`` as required although the field itself is optional, because a rule of the form
    or of the service asks for them (one of two fields, a document a workflow step needs).

    The crispy template (templates/bootstrap5/field.html) draws the star from ``kc_required``;
    ``aria-required`` tells screen readers the same.
    """
    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        field.kc_required = True
        field.widget.attrs["aria-required"] = "true"
