"""No URL answers 500 to bad input: every page of the permission matrix, as a user allowed to use it,
gets junk querystrings and (when it takes POST) junk forms. Bad input must end in a form error or a
4xx, never a server error."""

from __future__ import annotations

import traceback
from typing import Any, cast

import pytest
from django import forms
from django.conf import settings
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.urls import reverse

from core.money import MoneyField
from tests.matrix import all_cases

ROLES = ("staff_a", "manager_a", "admin")
OK = (200, 302)

# Querystring names every listing may read, on top of the fields its forms declare.
COMMON_PARAMS = (
    "page",
    "year",
    "q",
    "province",
    "status",
    "kind",
    "tab",
    "format",
    "year_from",
    "year_to",
    "source",
    "level",
)
# "²" and "٣" pass str.isdigit() (and int("٣") == 3) but are no id or code: issue 14's probe found
# ?commune=² and ?province=² answering 500.
UNICODE_DIGITS = ("²", "٣", "١٢٣٤٥٦٧٨٩٠")
JUNK = (
    "abc",
    "-1",
    "9" * 30,
    "'; DROP TABLE x;--",
    "%00",
    "\x00",
    "99999999",
    "1e999",
    "NaN",
    "x" * 3000,
    *UNICODE_DIGITS,
)
# Junk set one field at a time on top of a plausible form, so each field's own checks run.
FIELD_JUNK = ("-1", "9" * 30, "x" * 300, "²")


def _field_junk(field: forms.Field | None) -> tuple[str, ...]:
    if isinstance(field, forms.DateField):
        return ("31/12/9999", "abc", "²/٣/2026")
    if isinstance(field, forms.IntegerField | MoneyField):
        return ("-1", "9" * 30, "²", "٣")
    if isinstance(field, forms.ChoiceField):  # model choices too: a missing id, a non-numeric one
        return ("99999999", "abc", "²", "٣")
    if isinstance(field, forms.CharField):
        return ("x" * 300, "²²²²²²²²²²")
    if isinstance(field, forms.FileField | forms.BooleanField):
        return ()
    return FIELD_JUNK


def _role(case: Any) -> str | None:
    return next((r for r in ROLES if case.expect.get(r) in OK), None)


def _cases() -> list[Any]:
    """One case per URL name: the first one some role may use."""
    chosen: dict[str, Any] = {}
    for case in all_cases():
        if case.name not in chosen and _role(case) is not None:
            chosen[case.name] = case
    return list(chosen.values())


CASES = _cases()
# The first POST case of a URL is its valid form (later ones are refusals, such as a negative amount).
POST_DATA: dict[str, Any] = {}
for _case in all_cases():
    if _case.method == "post":
        POST_DATA.setdefault(_case.name, _case.data or (lambda w: {}))


def _forms(response: Any) -> list[BaseForm]:
    found: list[BaseForm] = []
    for ctx in response.context or []:
        for layer in getattr(ctx, "dicts", [ctx]):
            for value in layer.values() if isinstance(layer, dict) else []:
                if isinstance(value, BaseForm) and value not in found:
                    found.append(value)
                elif isinstance(value, BaseFormSet):
                    found += [value.management_form, *value.forms]
    return found


def _plausible(field: forms.Field) -> Any:
    """A value the field would likely accept, so junk in one other field reaches the services."""
    if isinstance(field, forms.FileField):
        return None
    if isinstance(field, forms.ModelChoiceField):
        if field.queryset is None:
            return None
        pk = field.queryset.values_list("pk", flat=True).first()
        return None if pk is None else str(pk)
    if isinstance(field, forms.ChoiceField):
        # A form's ChoiceField holds its normalised (value, label) list by now.
        choices = cast("list[tuple[Any, Any]]", field.choices)
        values = [str(v) for v, _label in choices if v not in ("", None) and not isinstance(_label, list)]
        return values[0] if values else None
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.DateField):
        return "02/03/2026"
    if isinstance(field, forms.IntegerField):
        low = field.min_value if isinstance(field.min_value, int) else 0
        high = field.max_value if isinstance(field.max_value, int) else 2026
        return str(max(low, min(2026, high)))
    if isinstance(field, MoneyField):
        return "1.000.000"
    if isinstance(field, forms.CharField):
        return "Kiểm thử"
    return None


def _baseline(forms_: list[BaseForm]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for form in forms_:
        for bound in form:
            value = bound.value()
            if value in (None, "", []) and bound.field.required:
                value = _plausible(bound.field)
            if value is None or hasattr(value, "read"):
                continue
            if isinstance(value, list | tuple):
                value = [str(v) for v in value]
            data[bound.html_name] = value if isinstance(value, list) else str(value)
    return data


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_no_server_error_on_garbage(case, world, client) -> None:
    client.raise_request_exception = True
    role = _role(case)
    assert role is not None, case.name
    client.force_login(getattr(world, role))
    kwargs = case.kwargs(world) if case.kwargs else {}
    url = reverse(case.name, kwargs=kwargs)
    failures: list[str] = []

    def send(method: str, data: Any, target: str = url) -> Any:
        try:
            with transaction.atomic():
                response = getattr(client, method)(target, data)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {target} {data!r:.300}: {response.status_code}")
                return response
        except Exception as exc:  # report every crash at once, not only the first
            where = [
                f"{frame.filename.removeprefix(str(settings.BASE_DIR))}:{frame.lineno}"
                for frame in traceback.extract_tb(exc.__traceback__)
                if str(settings.BASE_DIR) in frame.filename and "/.venv/" not in frame.filename
            ]
            failures.append(
                f"{method.upper()} {target} {data!r:.300}: {type(exc).__name__}: {exc!s:.300} at {where[-3:]}"
            )
            return None

    first = send("get", {})
    forms = _forms(first) if first is not None else []
    names = {bound.html_name for form in forms for bound in form} | set(COMMON_PARAMS)
    for junk in JUNK:
        send("get", dict.fromkeys(names, junk))
    for pk_name in [k for k, v in kwargs.items() if isinstance(v, int)]:
        send("get", {}, reverse(case.name, kwargs={**kwargs, pk_name: 2_000_000_000}))

    empty = send("post", {}) if case.name in POST_DATA or forms else None
    if empty is not None and empty.status_code != 405:
        fields = {bound.html_name: bound.field for form in forms for bound in form}
        baseline = {**_baseline(forms), **(POST_DATA[case.name](world) if case.name in POST_DATA else {})}
        post_names = sorted(set(fields) | set(baseline))
        for junk in JUNK:
            send("post", dict.fromkeys(post_names, junk))
        for name in post_names:
            for junk in _field_junk(fields.get(name)):
                send("post", {**baseline, name: junk})

    assert not failures, "\n".join(failures)
