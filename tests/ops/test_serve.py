"""``make serve`` runs the production layout (gunicorn, a worker per queue, one beat; DEBUG off):
start it, log in, record a payment, request a report that its reports worker builds, stop it."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import urllib.parse
import urllib.request

import pytest

from tests.ops.helpers import ROOT, process_env, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A cookie-keeping HTTP client that sends the CSRF token as a browser's form would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def get(self, path: str) -> tuple[int, str, dict]:
        try:
            with self.opener.open(self.base + path, timeout=30) as r:
                return r.status, r.read().decode(errors="replace"), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace"), dict(e.headers)

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str, dict]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        req = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status, r.read().decode(errors="replace"), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace"), dict(e.headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.timeout(900)
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"), reason="needs Redis")
def test_make_serve_logs_in_records_a_payment_and_builds_a_report(
    province_a, staff_a, manager_a, tmp_path, settings
):
    import uuid

    from django.urls import reverse

    from funding.models import MoneyEntry
    from reports.models import ReportRun, RunStatus
    from tests.factories import PASSWORD, budget_envelope, funded_allocation, money_project

    # The served processes use the real password hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for user in (staff_a, manager_a):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    project = money_project(province_a, title="Đào tạo nghề dệt thổ cẩm Mai Châu", status="in_progress")
    budget_envelope(province_a, amount=1_000_000_000)
    allocation = funded_allocation(project, manager_a, amount=200_000_000)
    port = free_port()
    env = process_env(
        KC_VAR_DIR=str(tmp_path / "var"),
        # Shared with .ci/run's collectstatic, so the files are hashed and compressed once.
        DJANGO_STATIC_ROOT=str(ROOT / "var" / "serve-static"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        CELERY_KEY_PREFIX=f"kc-test-{uuid.uuid4().hex[:10]}:",
        GUNICORN_WORKERS="1",
    )
    env.pop("DJANGO_DEBUG", None)
    log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115
    proc = subprocess.Popen(
        ["make", "-s", "serve", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        browser = Browser(base)

        def up() -> bool:
            try:
                return browser.get("/healthz")[0] == 200
            except OSError:
                return False

        # collectstatic (when the files are stale) and five processes starting: minutes on a busy host.
        wait_for(up, timeout=600, interval=0.5)
        # DEBUG is off: an unknown page is the portal's 404, not Django's debug page.
        status, html, _ = browser.get("/khong-co-trang-nay/")
        assert status == 404 and "Page not found at" not in html
        # Static files come hashed, cacheable forever.
        static = re.search(
            r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', browser.get(reverse("accounts:login"))[1]
        )
        assert static, "no hashed stylesheet on the login page"
        status, _, headers = browser.get(static.group(1))
        assert status == 200 and "immutable" in headers.get("Cache-Control", "")

        assert (
            browser.post(reverse("accounts:login"), {"username": "staff_a", "password": PASSWORD})[0] == 302
        )
        payment_url = reverse("funding:payment_create", kwargs={"pk": allocation.pk})
        assert browser.get(payment_url)[0] == 200
        status, html, _ = browser.post(
            payment_url, {"amount": "35 triệu", "voucher_number": "PC-7", "voucher_date": "15/04/2026"}
        )
        assert status == 302, html[-2000:]
        assert MoneyEntry.objects.get(voucher_number="PC-7").amount == 35_000_000

        manager = Browser(base)
        manager.get(reverse("accounts:login"))
        assert (
            manager.post(reverse("accounts:login"), {"username": "manager_a", "password": PASSWORD})[0] == 302
        )
        report_url = reverse("reports:run_create", kwargs={"kind": "province_annual"})
        assert manager.get(report_url)[0] == 200
        status, html, headers = manager.post(
            report_url,
            {
                "year_from": "2022",
                "year_to": "2026",
                "province": str(province_a.pk),
                "funding_level": "",
                "request_key": uuid.uuid4().hex,
            },
        )
        assert status == 302, html[-2000:]
        run = ReportRun.objects.get()
        wait_for(
            lambda: ReportRun.objects.get(pk=run.pk).status in (RunStatus.DONE, RunStatus.FAILED), timeout=120
        )
        run.refresh_from_db()
        assert run.status == RunStatus.DONE, run.error
        status, body, headers = manager.get(reverse("reports:run_download", kwargs={"pk": run.pk}))
        assert status == 200 and body
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.seek(0)
        print(log.read()[-5000:])
        log.close()
    # Every process went with it: nothing listens on the port any more.
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0
