"""Reports that recover (issue 11): a run whose worker died is sent again within two minutes of a
worker being back; a request made while the broker is down says so at once and leaves by itself."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from reports import services
from reports.models import ReportRun, RunStatus
from tests.reports.test_runs import SCOPE_A, request_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(monkeypatch):
    """The broker, switchable: ``broker.down = True`` makes every send fail as Redis down does."""
    from reports.tasks import generate_report

    class Broker:
        down = False
        sent: list[int] = []

    state = Broker()

    def apply_async(args, **kwargs):
        if state.down:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        state.sent.append(args[0])

    monkeypatch.setattr(generate_report, "apply_async", apply_async)
    return state


def _post_request(client, province, capture):
    """The form's POST (its transaction commits, so the run is handed to the broker), then the page
    the user is sent to."""
    url = reverse("reports:run_create", kwargs={"kind": "funding_by_source"})
    key = client.get(url).context["request_key"]
    data = {
        "year_from": 2022,
        "year_to": 2026,
        "province": province.pk,
        "funding_level": "",
        "request_key": key,
    }
    with capture(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    return client.get(response["Location"])


def test_broker_down_the_user_is_told_at_once_and_the_run_leaves_by_itself(
    dataset, client_for, manager_a, province_a, broker, django_capture_on_commit_callbacks
):
    broker.down = True
    client = client_for(manager_a)
    page = _post_request(client, province_a, django_capture_on_commit_callbacks)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hệ thống hàng đợi đang tạm ngừng." in text
    assert "bạn không cần yêu cầu lại" in text
    run = ReportRun.objects.get()
    assert run.status == RunStatus.QUEUED and run.sent_at is None and run.send_failed_at is not None

    progress = reverse("reports:run_progress", kwargs={"pk": run.pk})
    fragment = client.get(progress).content.decode()  # still down: still said, still polling
    assert "Hệ thống hàng đợi đang tạm ngừng." in fragment and "hx-trigger" in fragment

    broker.down = False  # the broker is back: the next poll (after the throttle) sends the run
    ReportRun.objects.filter(pk=run.pk).update(
        send_failed_at=timezone.now() - dt.timedelta(seconds=services.RESEND_SECONDS + 1)
    )
    fragment = client.get(progress).content.decode()
    assert broker.sent == [run.pk]
    assert "Hệ thống hàng đợi đang tạm ngừng." not in fragment
    run.refresh_from_db()
    assert run.sent_at is not None and run.send_failed_at is None


def test_the_sweeper_sends_what_the_broker_refused(
    dataset, manager_a, province_a, broker, django_capture_on_commit_callbacks
):
    broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        run = request_run(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    assert ReportRun.objects.get(pk=run.pk).waiting_for_broker
    broker.down = False
    with django_capture_on_commit_callbacks(execute=True):
        result = services.report_runs_sweep()
    assert result["resent"] == 1 and broker.sent == [run.pk]
    assert not ReportRun.objects.get(pk=run.pk).waiting_for_broker


def test_a_run_whose_worker_died_is_sent_again_after_its_heartbeat_stops(
    dataset, manager_a, province_a, broker, django_capture_on_commit_callbacks
):
    """The probe: killed mid-report, the run stayed "Đang tạo 5%" for 11 minutes. Now the heartbeat
    goes stale after 45 s and the sweeper (every minute, and at a worker's start) sends it again."""
    dead = request_run(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    alive = request_run(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    now = timezone.now()
    ReportRun.objects.filter(pk=dead.pk).update(
        status=RunStatus.RUNNING,
        progress=5,
        attempts=1,
        started_at=now - dt.timedelta(seconds=70),
        heartbeat_at=now - dt.timedelta(seconds=services.STALE_SECONDS + 5),
    )
    ReportRun.objects.filter(pk=alive.pk).update(
        status=RunStatus.RUNNING, attempts=1, started_at=now - dt.timedelta(minutes=30), heartbeat_at=now
    )
    broker.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.report_runs_sweep(now=now)
    assert result["requeued"] == 1
    assert broker.sent == [dead.pk]
    dead.refresh_from_db()
    assert dead.status == RunStatus.QUEUED and dead.progress == 0
    assert ReportRun.objects.get(pk=alive.pk).status == RunStatus.RUNNING  # a long report, alive
    # the redelivered message finds the run queued and builds it
    assert services.report_run_execute(run_pk=dead.pk) in ("done", "failed")
    dead.refresh_from_db()
    assert dead.status in (RunStatus.DONE, RunStatus.FAILED) and dead.attempts == 2


def test_the_page_says_a_run_is_being_run_again(dataset, client_for, manager_a, province_a, broker):
    run = request_run(manager_a, "funding_by_source", province=province_a.pk, **SCOPE_A)
    ReportRun.objects.filter(pk=run.pk).update(attempts=1, sent_at=timezone.now())
    fragment = client_for(manager_a).get(reverse("reports:run_progress", kwargs={"pk": run.pk}))
    assert "Lần chạy trước bị gián đoạn; báo cáo đang chờ chạy lại (lần 2)." in fragment.content.decode()


def test_a_worker_starting_sweeps_at_once(monkeypatch):
    from reports import tasks

    calls: list[int] = []

    def sweep() -> dict[str, int]:
        calls.append(1)
        return {}

    monkeypatch.setattr(services, "report_runs_sweep", sweep)
    tasks.sweep_when_a_worker_starts()
    assert calls == [1]


def test_the_sweeper_runs_every_minute():
    import reports.tasks  # noqa: F401
    from khuyencong.celery import app

    assert app.conf.beat_schedule["reports.sweep_stuck_runs"]["schedule"] == dt.timedelta(minutes=1)
    assert services.STALE_SECONDS + 60 <= 120  # interrupted → sent again within two minutes


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_beats_while_a_report_is_built(province_a, manager_a):
    from reports.registry import get_report

    report = get_report("funding_by_source")
    assert report is not None
    run, _ = services.report_run_request(
        user=manager_a,
        report=report,
        parameters={**SCOPE_A, "province": province_a.pk},
        idempotency_key="heartbeat",
    )
    ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, heartbeat_at=None)
    with services.heartbeat(run.pk, every=0.05):
        time.sleep(0.5)
    first = ReportRun.objects.get(pk=run.pk).heartbeat_at
    assert first is not None
    time.sleep(0.2)
    assert ReportRun.objects.get(pk=run.pk).heartbeat_at == first  # stopped with the block
