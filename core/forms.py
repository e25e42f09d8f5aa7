"""Form helpers shared by the apps.

``field_of`` gives typed access to a form's fields: ``form.fields`` is typed ``dict[str, Field]``, so
code that sets a ModelChoiceField's queryset or a ChoiceField's choices names the kind it declared."""

from __future__ import annotations

from typing import Any

from django import forms


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


def field_of[F: forms.Field](form: forms.BaseForm, name: str, kind: type[F]) -> F:
    """``form.fields[name]``, checked to be the ``kind`` of field the form declared."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field
