"""No Django admin page answers 500 to bad input: every registered model's changelist (with junk search,
filters, ordering and page), add form and change form (junk in one field at a time, Unicode digits
included), as a superuser. Issue 14's probe: adding a user without an organisation gave an IntegrityError."""

from __future__ import annotations

import traceback
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.forms import BaseForm
from django.urls import NoReverseMatch, reverse

from accounts.models import Role, User
from tests.factories import UserFactory
from tests.test_garbage_input import UNICODE_DIGITS

JUNK = ("²", "٣", "9" * 30)
# Text fields take "²" as text (and the save is slow where triggers run): only an overlong value there.
TEXT_JUNK = ("x" * 300,)
MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


def _admin_forms(response: Any) -> list[BaseForm]:
    """The change form and every inline form (with their management forms)."""
    found: list[BaseForm] = []
    context = response.context
    if context is None or "adminform" not in context:
        return found
    found.append(context["adminform"].form)
    for inline in context.get("inline_admin_formsets", []):
        found += [inline.formset.management_form, *inline.formset.forms]
    return found


def _data(forms_: list[BaseForm]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for form in forms_:
        for bound in form:
            value = bound.value()
            if value is None or hasattr(value, "read"):
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(v) for v in value]
            elif isinstance(bound.field, forms.BooleanField):
                if value:
                    data[bound.html_name] = "on"
            else:
                data[bound.html_name] = str(value)
    return data


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.label for m in MODELS])
def test_no_server_error_in_admin(model, world, client) -> None:
    superuser = UserFactory.create(
        username="junk_superuser", organisation=world.admin.organisation, role=Role.ADMIN
    )
    superuser.is_superuser = True
    superuser.save()
    client.raise_request_exception = True
    client.force_login(superuser)
    meta = model._meta
    failures: list[str] = []

    def send(method: str, url: str, data: Any = None) -> Any:
        try:
            with transaction.atomic():
                response = getattr(client, method)(url, data or {})
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url} {data!r:.200}: {response.status_code}")
                return response
        except Exception as exc:
            where = [
                f"{frame.filename.removeprefix(str(settings.BASE_DIR))}:{frame.lineno}"
                for frame in traceback.extract_tb(exc.__traceback__)
                if str(settings.BASE_DIR) in frame.filename and "/.venv/" not in frame.filename
            ]
            failures.append(
                f"{method.upper()} {url} {data!r:.200}: {type(exc).__name__}: {exc!s:.200} {where[-3:]}"
            )
            return None

    changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    model_admin = admin.site._registry[model]
    params = ["q", "o", "p", "province", "commune", "year", "e"]
    for item in model_admin.list_filter:
        if isinstance(item, str):
            params += [f"{item}__exact", f"{item}__id__exact", item]
        elif name := getattr(item, "parameter_name", None):
            params.append(str(name))
    for junk in (*UNICODE_DIGITS, "x" * 300, "-1"):
        send("get", changelist, dict.fromkeys(params, junk))
        send("get", changelist, {"q": junk})

    targets: list[str] = []
    try:
        add_url = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        if model_admin.has_add_permission(_request(superuser)):
            targets.append(add_url)
    except NoReverseMatch:
        pass
    try:
        obj = model._default_manager.order_by("pk").first()
    except Exception:  # a virtual model (pghistory's events) has no table of its own
        obj = None
    if obj is not None:
        targets.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
        send("get", reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=["²"]))

    for url in targets:
        page = send("get", url)
        if page is None or page.status_code != 200:
            continue
        forms_ = _admin_forms(page)
        baseline = _data(forms_)
        send("post", url, {})
        for form in forms_[:1]:  # the model's own form; inlines keep their baseline
            for bound in form:
                if isinstance(bound.field, forms.FileField | forms.BooleanField):
                    continue
                text = isinstance(bound.field, forms.CharField) and not isinstance(
                    bound.field, forms.DateField | forms.IntegerField
                )
                for junk in TEXT_JUNK if text else JUNK:
                    send("post", url, {**baseline, bound.html_name: junk})

    assert not failures, "\n".join(failures)


def _request(user: User) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def test_adding_a_user_without_an_organisation_is_a_form_error(db, client, admin_user):
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nguoi_moi",
            "usable_password": "true",
            "password1": "Mot-mat-khau-rat-dai-2026!",
            "password2": "Mot-mat-khau-rat-dai-2026!",
            "role": "staff",
            "organisation": "",
        },
    )
    assert response.status_code == 200
    assert "Người dùng phải thuộc một cơ quan, đơn vị." in response.content.decode()
    assert not User.objects.filter(username="nguoi_moi").exists()
