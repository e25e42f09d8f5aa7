"""Logs carry a request id (web) or task id (Celery) and no personal data; /metrics answers
Prometheus behind a token; Sentry, when configured, is told to send no personal data."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import types

import pytest
from django.urls import reverse

from core.observability import JsonFormatter, RequestIdFilter, request_id

pytestmark = [pytest.mark.django_db]


def _formatted(record: logging.LogRecord) -> dict:
    RequestIdFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


def test_every_request_gets_an_id_and_one_log_line_without_personal_data(client, caplog, staff_a):
    caplog.set_level(logging.INFO, logger="khuyencong.request")
    caplog.handler.addFilter(RequestIdFilter())  # as settings.LOGGING's console handler has
    client.force_login(staff_a)
    response = client.get(reverse("beneficiaries:facility_list"), {"q": "Nguyễn Thị Hoa 0912345678"})
    assert response.status_code == 200
    rid = response["X-Request-ID"]
    assert len(rid) == 32
    (record,) = [r for r in caplog.records if r.name == "khuyencong.request"]
    line = _formatted(record)
    assert line["request_id"] == rid and line["view"] == "beneficiaries:facility_list"
    assert line["status"] == 200 and line["path"] == reverse("beneficiaries:facility_list")
    text = JsonFormatter().format(record)
    for personal in ("Nguyễn", "0912345678", "staff_a", "@"):
        assert personal not in text
    # nginx's id is kept when it looks like one; anything else is replaced.
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abcdef0123456789")["X-Request-ID"] == "abcdef0123456789"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_a_celery_task_logs_under_its_id_and_the_requests(caplog):
    from khuyencong.celery import app

    seen = {}

    @app.task(name="tests.ops.probe")
    def probe() -> str:
        seen["rid"] = request_id.get()
        logging.getLogger("tests.ops").warning("in task")
        return seen["rid"]

    caplog.set_level(logging.WARNING, logger="tests.ops")
    caplog.handler.addFilter(RequestIdFilter())
    result = probe.apply(headers={"kc_request_id": "web123456789"})
    assert seen["rid"] == f"web123456789/{result.id}"
    assert _formatted(next(r for r in caplog.records if r.name == "tests.ops"))["request_id"] == seen["rid"]
    assert request_id.get() == "-"  # reset after the task
    # A task sent during a web request carries that request's id in its message headers.
    from celery import signals

    headers: dict = {}
    token = request_id.set("web987654321")
    try:
        signals.before_task_publish.send(sender="tests.ops.probe", headers=headers)
    finally:
        request_id.reset(token)
    assert headers["kc_request_id"] == "web987654321"


def test_metrics_need_the_token_and_show_the_operational_figures(
    client, settings, tmp_path, monkeypatch, staff_a
):
    from axes.models import AccessFailureLog

    from reports.models import ReportRun, RunStatus

    url = reverse("core:metrics")
    assert client.get(url).status_code == 404  # no token configured: no page
    settings.KC_METRICS_TOKEN = "s3cret-token"
    assert client.get(url).status_code == 403
    assert client.get(url, HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    monkeypatch.setenv("KC_BACKUP_DIR", str(tmp_path))
    (tmp_path / "LAST_SUCCESS").write_text((dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)).isoformat())
    AccessFailureLog.objects.create(
        username="x", ip_address="10.0.0.1", user_agent="t", path_info="/", locked_out=False
    )
    ReportRun.objects.create(kind="province_annual", status=RunStatus.FAILED, idempotency_key="m1")
    client.get("/healthz")
    response = client.get(url, HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'kc_http_request_duration_seconds_count{method="GET",status="2xx",view="core:healthz"}' in body
    for queue in ("default", "reports", "mail"):
        assert f'kc_celery_queue_length{{queue="{queue}"}}' in body
    assert "kc_report_runs_failed 1.0" in body
    assert "kc_login_failures_last_hour 1.0" in body
    age = float(
        next(ln for ln in body.splitlines() if ln.startswith("kc_backup_last_success_age_seconds ")).split()[
            1
        ]
    )
    assert 7000 < age < 7400
    assert "kc_celery_task_duration_seconds" in body


def test_sentry_is_told_to_send_no_personal_data(monkeypatch):
    from core.observability import init_sentry

    calls = {}
    fake = types.SimpleNamespace(init=lambda **kw: calls.update(kw))
    monkeypatch.setitem(sys.modules, "sentry_sdk", fake)
    monkeypatch.setenv("SENTRY_DSN", "https://key@sentry.example.gov.vn/1")
    init_sentry()
    assert calls["dsn"].startswith("https://") and calls["send_default_pii"] is False
    assert calls["max_request_body_size"] == "never" and calls["include_local_variables"] is False
