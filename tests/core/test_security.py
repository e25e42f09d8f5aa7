"""Issue 14's probe, one test per finding: headers, sessions, the CSRF page, /healthz, outages and the
production defaults. Each failed before the hardening and passes after (see /work/notes/issue-14.md)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from core import health, security

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


# --- defaults in production ---------------------------------------------------------------------
def _production_settings(**extra: str) -> dict:
    """The settings a process started with production's environment (no DJANGO_DEBUG) ends up with."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "khuyencong.settings",
            "DJANGO_SECRET_KEY": "x" * 60,
            "DJANGO_ALLOWED_HOSTS": "khuyencong.example.gov.vn",
            **extra,
        }
    )
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'LANGUAGE_COOKIE_SECURE', "
        "'SESSION_COOKIE_HTTPONLY', 'LANGUAGE_COOKIE_HTTPONLY', 'KC_SESSION_IDLE_TIMEOUT', 'SESSION_COOKIE_AGE']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_debug_is_off_unless_turned_on():
    assert _production_settings()["DEBUG"] is False
    assert _production_settings(DJANGO_DEBUG="true")["DEBUG"] is True


def test_every_cookie_is_secure_in_production():
    found = _production_settings()
    assert found["SESSION_COOKIE_SECURE"] is True
    assert found["CSRF_COOKIE_SECURE"] is True
    assert found["LANGUAGE_COOKIE_SECURE"] is True
    assert found["LANGUAGE_COOKIE_HTTPONLY"] is True


def test_sessions_have_an_idle_timeout_and_a_shorter_limit_than_a_day():
    found = _production_settings()
    assert found["KC_SESSION_IDLE_TIMEOUT"] == 30 * 60
    assert _production_settings(KC_SESSION_IDLE_TIMEOUT="600")["KC_SESSION_IDLE_TIMEOUT"] == 600
    assert found["SESSION_COOKIE_AGE"] <= 8 * 3600


# --- headers -------------------------------------------------------------------------------------
def test_pages_carry_a_nonce_csp_and_permissions_policy(client_for, staff_a):
    response = client_for(staff_a).get(reverse("core:home"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(src|nonce)=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I)
INLINE_STYLE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.I)
# Not served as web pages: e-mails and the PDF dossier (rendered by WeasyPrint).
NOT_PAGES = ("notifications/email/", "reports/pdf/")


def _templates() -> list[Path]:
    return [
        p
        for p in (ROOT / "templates").rglob("*.html")
        if not any(part in p.relative_to(ROOT / "templates").as_posix() for part in NOT_PAGES)
    ]


def test_no_template_has_inline_scripts_handlers_or_style_attributes():
    found = []
    for path in _templates():
        text = path.read_text()
        for name, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("inline handler", INLINE_HANDLER),
            ("style attribute", STYLE_ATTRIBUTE),
            ("inline <style>", INLINE_STYLE),
        ):
            if pattern.search(text):
                found.append(f"{path.relative_to(ROOT)}: {name}")
    assert not found, found


def test_pages_named_in_the_probe_render_without_inline_code(client_for, staff_a, world):
    """base.html (language switch), the project list and the project's beneficiaries tab."""
    client = client_for(world.staff_a)
    project = world.project_a
    for url in (
        reverse("core:home"),
        reverse("projects:project_list"),
        reverse("projects:project_detail", args=[project.pk]) + "?tab=beneficiaries",
    ):
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_HANDLER.search(html), url
        assert not STYLE_ATTRIBUTE.search(html), url


def test_signed_in_pages_and_downloads_are_not_stored(client_for, world):
    client = client_for(world.staff_a)
    for url in (reverse("core:home"), reverse("projects:project_export")):
        response = client.get(url)
        assert response.status_code == 200, url
        cache = response.headers.get("Cache-Control", "")
        assert "no-store" in cache and "private" in cache, (url, cache)


def test_anonymous_public_pages_keep_their_caching(client):
    response = client.get(reverse("opendata:overview"))
    assert response.status_code == 200
    assert "private" not in response.headers.get("Cache-Control", "")


# --- sessions ------------------------------------------------------------------------------------
@pytest.fixture
def clock(monkeypatch):
    current = [int(time.time())]
    monkeypatch.setattr(security, "now", lambda: current[0])
    return current


def test_thirty_idle_minutes_sign_the_user_out(client_for, staff_a, clock):
    client = client_for(staff_a)
    assert client.get(reverse("core:home")).status_code == 200
    clock[0] += 29 * 60
    assert client.get(reverse("core:home")).status_code == 200
    clock[0] += 31 * 60
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    # Signed out for good: the next request is anonymous too.
    assert client.get(reverse("core:home")).status_code == 302


def test_an_active_session_still_ends_at_the_absolute_limit(client_for, staff_a, clock, settings):
    settings.KC_SESSION_MAX_AGE = 8 * 3600
    client = client_for(staff_a)
    for _ in range(8 * 3):  # a request every 20 minutes for 8 hours
        assert client.get(reverse("core:home")).status_code == 200
        clock[0] += 20 * 60
    clock[0] += 20 * 60
    response = client.get(reverse("core:home"))
    assert response.status_code == 302


def test_an_htmx_request_after_the_timeout_redirects_the_page(client_for, staff_a, clock):
    client = client_for(staff_a)
    client.get(reverse("core:home"))
    clock[0] += 31 * 60
    response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert response.headers.get("HX-Redirect") == reverse("accounts:login")


# --- CSRF ----------------------------------------------------------------------------------------
def test_csrf_failure_page_is_vietnamese(staff_a):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "staff_a", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Phiên biểu mẫu đã hết hạn" in html
    assert "CSRF verification failed" not in html


# --- /healthz ------------------------------------------------------------------------------------
def test_healthz_tells_anonymous_callers_only_ok(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.fixture
def hanging_server():
    """A TCP server that accepts connections and never answers: a database that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(2)
    for conn in accepted:
        conn.close()
    listener.close()


def test_healthz_answers_within_three_seconds_when_the_database_hangs(
    client, monkeypatch, hanging_server, settings
):
    settings.KC_HEALTH_TIMEOUT = 2.5
    real = health.database_params
    monkeypatch.setattr(
        health, "database_params", lambda t: {**real(t), "host": "127.0.0.1", "port": hanging_server}
    )
    monkeypatch.setattr(health, "_stuck", {})
    started = time.monotonic()
    response = client.get(reverse("core:healthz"))
    elapsed = time.monotonic() - started
    assert elapsed < 3, elapsed
    assert response.status_code == 503
    assert response.json() == {"status": "error"}


def test_a_stuck_check_makes_the_next_ones_answer_at_once(client, monkeypatch, settings):
    settings.KC_HEALTH_TIMEOUT = 2.5
    release = threading.Event()
    monkeypatch.setattr(health, "CHECKS", {**health.CHECKS, "database": lambda timeout: release.wait(30)})
    monkeypatch.setattr(health, "_stuck", {})
    try:
        started = time.monotonic()
        assert client.get(reverse("core:healthz")).status_code == 503
        assert time.monotonic() - started < 3
        started = time.monotonic()
        assert client.get(reverse("core:healthz")).status_code == 503
        assert time.monotonic() - started < 1
    finally:
        release.set()


def test_healthz_names_no_exception_when_a_check_fails(client, monkeypatch):
    def refused(timeout: float) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "CHECKS", {**health.CHECKS, "database": refused})
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert "OperationalError" not in response.content.decode()
    assert response.json() == {"status": "error"}


# --- outages -------------------------------------------------------------------------------------
def _refuse(execute, sql, params, many, context):
    raise OperationalError("could not connect to server: Connection refused")


def test_a_database_outage_answers_a_vietnamese_503_to_signed_in_users(client_for, staff_a):
    client = client_for(staff_a)
    client.raise_request_exception = False
    with connection.execute_wrapper(_refuse):
        response = client.get(reverse("projects:project_list"))
    assert response.status_code == 503
    html = response.content.decode()
    assert "Hệ thống tạm gián đoạn" in html
    assert "OperationalError" not in html
    assert response.headers["Retry-After"]


def test_a_view_that_loses_the_database_answers_503(client_for, staff_a, monkeypatch):
    from core.views import HomeView

    def lost(self, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(HomeView, "get_context_data", lost)
    response = client_for(staff_a).get(reverse("core:home"))
    assert response.status_code == 503
    assert "Hệ thống tạm gián đoạn" in response.content.decode()


def test_the_500_page_renders_without_the_database(rf, staff_a, django_assert_num_queries):
    from core.views import server_error

    request = rf.get("/")
    request.user = staff_a
    with connection.execute_wrapper(_refuse), django_assert_num_queries(0):
        try:
            raise RuntimeError("a bug")
        except RuntimeError:
            response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Lỗi hệ thống" in html
    assert "RuntimeError" not in html
