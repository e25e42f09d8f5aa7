"""Admin pieces every app shares."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the services (locks, checks, audit): the admin shows them, never edits them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """The same for the parts shown inside a parent's page."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LabelledListEditableMixin:
    """A changelist's editable cells are inputs without a label (axe ``label``, critical): each gets
    an ``aria-label`` naming the column and the row, e.g. "Đang dùng: 10 — Sản xuất chế biến thực phẩm"."""

    def get_changelist_formset(self, request: HttpRequest, **kwargs: Any) -> Any:
        # A mixin for ModelAdmin: its bases do not define the method, the admin class does.
        formset = super().get_changelist_formset(request, **kwargs)  # type: ignore[misc]

        # Subclassing the formset class made at run time, which mypy cannot see as a type.
        class Labelled(formset):  # type: ignore[misc, valid-type]
            def _construct_form(self, i: int, **kw: Any) -> Any:
                form = super()._construct_form(i, **kw)
                for name, field in form.fields.items():
                    if name == form.instance._meta.pk.name or field.widget.is_hidden:
                        continue
                    field.widget = copy.copy(field.widget)
                    label = f"{field.label}: {form.instance}"
                    field.widget.attrs = {**field.widget.attrs, "aria-label": label}
                return form

        return Labelled
