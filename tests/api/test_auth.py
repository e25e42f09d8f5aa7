"""Tokens: hashed at rest, scoped per resource, expiring, revocable; every call logged; rate limited;
browser sessions work with CSRF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiCall, ApiToken, Outcome
from api.services import hash_key, token_issue, token_revoke
from tests.api.tokens import issue_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/regions/provinces/"


def test_key_is_stored_only_as_a_hash(read_a):
    client, key = read_a
    token = ApiToken.objects.get(client=client)
    assert key.startswith(f"kc_{token.prefix}_")
    assert token.key_hash == hash_key(key)
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())


def test_no_token_is_401_with_the_error_shape(client, db):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401 and body["code"] == "not_authenticated"
    assert "xác thực" in body["message"]


@pytest.mark.parametrize(
    "header", ["Bearer kc_abc", "Bearer", "Bearer a b", "Bearer kc_00000000_" + "x" * 43]
)
def test_bad_keys_are_401(client, db, header):
    response = client.get(URL, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_expired_and_revoked_tokens_stop_working(api, read_a):
    client, key = read_a
    assert api(key).get(URL).status_code == 200
    token = ApiToken.objects.get(client=client)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api(key).get(URL).status_code == 401
    token2, key2 = token_issue(actor=None, client=client, scopes=["regions:read"])
    assert api(key2).get(URL).status_code == 200
    token_revoke(token=token2)
    assert api(key2).get(URL).status_code == 401


def test_inactive_client_is_refused(api, read_a):
    client, key = read_a
    client.is_active = False
    client.save()
    assert api(key).get(URL).status_code == 401


def test_scope_is_per_resource_and_write_needs_write(api, org_a, facility_payload):
    _client, key = issue_token(org_a, ["regions:read"], name="Chỉ địa giới")
    assert api(key).get(URL).status_code == 200
    response = api(key).get(reverse("api:facility_list"))
    assert response.status_code == 403
    assert "facilities:read" in response.json()["message"]
    _client, key = issue_token(org_a, ["facilities:read"], name="Đọc cơ sở")
    assert api(key).get(reverse("api:facility_list")).status_code == 200
    response = api(key).post(reverse("api:facility_list"), facility_payload)
    assert response.status_code == 403
    assert "facilities:write" in response.json()["message"]


def test_every_call_is_logged_with_client_and_outcome(api, read_a, client, db):
    api_client, key = read_a
    api(key).get(URL)
    api(key).get(reverse("api:facility_detail", kwargs={"pk": 2_000_000_000}))
    client.get(URL)
    calls = list(ApiCall.objects.order_by("id"))
    assert [(c.client_id, c.status, c.outcome) for c in calls] == [
        (api_client.pk, 200, Outcome.OK),
        (api_client.pk, 404, Outcome.NOT_FOUND),
        (None, 401, Outcome.UNAUTHENTICATED),
    ]
    assert calls[0].path == URL and calls[0].method == "GET" and calls[0].token is not None


def test_rate_limit_per_client(api, org_a, settings):
    _client, key = issue_token(org_a, ["regions:read"], name="Chậm", rate=3)
    statuses = [api(key).get(URL).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api(key).get(URL)
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) >= 1
    assert ApiCall.objects.filter(outcome=Outcome.THROTTLED).count() == 2
    # Another client has its own budget.
    _other, key2 = issue_token(org_a, ["regions:read"], name="Khác", rate=3)
    assert api(key2).get(URL).status_code == 200


def test_browser_session_reads_and_writes_with_csrf(staff_a, facility_payload):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff_a)
    assert browser.get(URL).status_code == 200
    url = reverse("api:facility_list")
    refused = browser.post(url, facility_payload, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    browser.get(reverse("core:home"))  # sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    ok = browser.post(url, facility_payload, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 201, ok.content


def test_service_account_cannot_log_in(read_a):
    client, _key = read_a
    assert not client.user.has_usable_password()


def test_management_command_prints_a_working_key(org_a, api, db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("api_token", client="Lệnh thử", organisation=org_a.name, scope=["all-read"], stdout=out)
    assert api(out.getvalue().strip()).get(URL).status_code == 200
