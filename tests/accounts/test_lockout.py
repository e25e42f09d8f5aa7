"""Sign-in lockout behind a reverse proxy (issue 14's probe: five wrong passwords for a named user locked
that user out from every address, because behind the proxy every request has the proxy's address)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Kind, Notification
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
ATTACKER = "203.0.113.9"
MANAGER_HOME = "198.51.100.7"


@pytest.fixture(autouse=True)
def _behind_a_proxy(settings):
    settings.KC_TRUSTED_PROXIES = [PROXY]


def _sign_in(client, username: str, password: str, client_address: str, **extra):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_REAL_IP=client_address,
        **extra,
    )


def test_an_attacker_cannot_lock_a_user_out_from_another_address(client, manager_a, admin_user):
    for _ in range(5):
        _sign_in(client, "manager_a", "sai-mat-khau", ATTACKER)
    # The attacker's address is locked, even with the right password.
    assert _sign_in(client, "manager_a", PASSWORD, ATTACKER).status_code == 429
    # The manager, at their own desk behind the same proxy, signs in.
    response = _sign_in(client, "manager_a", PASSWORD, MANAGER_HOME)
    assert response.status_code == 302


def test_a_forged_forwarded_for_header_is_not_believed(client, manager_a):
    """A client that reaches the portal directly cannot pick its own address."""
    for n in range(5):
        client.post(
            reverse("accounts:login"),
            {"username": "manager_a", "password": "sai"},
            REMOTE_ADDR="192.0.2.50",
            HTTP_X_REAL_IP=f"192.0.2.{100 + n}",
        )
    response = client.post(
        reverse("accounts:login"),
        {"username": "manager_a", "password": PASSWORD},
        REMOTE_ADDR="192.0.2.50",
        HTTP_X_REAL_IP="192.0.2.200",
    )
    assert response.status_code == 429


def test_the_user_and_the_admins_are_told(client, manager_a, admin_user):
    for _ in range(6):
        _sign_in(client, "manager_a", "sai-mat-khau", ATTACKER)
    mine = Notification.objects.filter(user=manager_a, kind=Kind.ACCOUNT_LOCKED)
    assert mine.count() == 1
    assert ATTACKER in mine.get().body
    assert Notification.objects.filter(user=admin_user, kind=Kind.ACCOUNT_LOCKED).count() == 1


def test_an_admin_unlocks_from_the_user_list(client, manager_a, admin_user):
    from django.test import Client

    for _ in range(5):
        _sign_in(client, "manager_a", "sai-mat-khau", ATTACKER)
    assert _sign_in(client, "manager_a", PASSWORD, ATTACKER).status_code == 429
    admin_user.is_superuser = True
    admin_user.save()
    admin = Client()
    admin.force_login(admin_user)
    assert admin.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [manager_a.pk]},
    )
    assert response.status_code == 302
    assert _sign_in(client, "manager_a", PASSWORD, ATTACKER).status_code == 302
