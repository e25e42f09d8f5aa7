"""Django admin covers every model of the portal, in Vietnamese, and each changelist opens."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from accounts.models import Role
from tests.factories import UserFactory

APPS = ("accounts", "regions", "beneficiaries", "projects", "funding", "reports", "api")
pytestmark = pytest.mark.django_db


def _inline_models() -> set[type]:
    return {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}


def test_every_model_has_an_admin():
    covered = set(admin.site._registry) | _inline_models()
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in APPS
        and not m._meta.auto_created
        and m not in covered
        # pghistory event tables are browsed through pghistory's "Events" admin.
        and not m.__name__.endswith("Event")
        # Plain link tables shown as inlines or on the project page.
        and m.__name__ not in {"ProjectCommune", "ProjectCategory"}
    ]
    assert not missing, f"models without an admin: {missing}"


def test_every_changelist_opens_in_vietnamese(client, org_national):
    admin_user = UserFactory.create(username="quantri_test", organisation=org_national, role=Role.ADMIN)
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    index = client.get(reverse("admin:index"))
    assert "Quản trị hệ thống" in index.content.decode()
    for model in admin.site._registry:
        if model._meta.app_label not in (*APPS, "pghistory"):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
