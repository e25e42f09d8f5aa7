"""Celery queues are routed in code: a report stuck on the ``reports`` worker does not hold an email
on the ``mail`` worker. Real Redis broker, real worker processes, as deploy/systemd runs them."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from typing import Any

import psycopg2
import pytest

from tests.ops.helpers import BIN, ROOT, process_env, stop, wait_for

pytestmark = [pytest.mark.worker]


def test_tasks_are_routed_to_their_queue():
    from khuyencong.celery import app

    app.loader.import_default_modules()
    route = {name: app.amqp.router.route({}, name)["queue"].name for name in app.tasks if "." in name}
    assert route["reports.generate_report"] == "reports"
    assert route["papers.tasks.render_pdf"] == "reports"
    assert route["notifications.tasks.send_email"] == "mail"
    assert route["notifications.tasks.send_digests"] == "mail"
    assert route["core.purge_login_attempts"] == "default"
    assert route["reports.sweep_stuck_runs"] == "default"
    assert set(route.values()) <= {"default", "reports", "mail"}
    # A worker without -Q (make run's single worker) consumes every queue.
    assert sorted(app.amqp.queues) == ["default", "mail", "reports"]


def test_make_run_worker_consumes_every_queue():
    source = (ROOT / "scripts" / "run.py").read_text()
    assert '"worker"' in source and '"-Q"' not in source and "--queues" not in source


def _worker(queues: str, env: dict[str, str], log: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN / "celery"), "-A", "khuyencong", "worker", "-Q", queues, "--pool", "solo", "-l", "info",
         "-n", f"{queues.replace(',', '-')}-{uuid.uuid4().hex[:6]}@%h", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def _shell(code: str, env: dict[str, str]) -> None:
    subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True, timeout=120
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"), reason="needs Redis")
def test_a_stuck_report_worker_does_not_delay_a_notification(province_a, manager_a, staff_a, tmp_path):
    import redis
    from django.db import connection

    from notifications.models import EmailLog, EmailStatus
    from reports.models import ReportRun, RunStatus

    staff_a.email = "staff.a@example.gov.vn"
    staff_a.save(update_fields=["email"])
    run = ReportRun.objects.create(
        kind="province_annual",
        parameters={"year_from": 2022, "year_to": 2026, "province": province_a.pk, "funding_level": ""},
        province=province_a,
        requested_by=manager_a,
        idempotency_key=uuid.uuid4().hex,
    )
    # Our own key prefix: parallel test processes (and other checkouts) share this Redis.
    prefix = f"kc-test-{uuid.uuid4().hex[:10]}:"
    env = process_env(CELERY_KEY_PREFIX=prefix, DJANGO_MEDIA_ROOT=str(tmp_path / "media"))
    dbname = connection.settings_dict["NAME"]
    # The report's row is locked by another session: its worker blocks in _claim, as on a long query.
    locker = psycopg2.connect(env["DATABASE_URL"])
    cur = locker.cursor()
    cur.execute("SELECT id FROM reports_reportrun WHERE id = %s FOR UPDATE", [run.pk])
    workers: list[subprocess.Popen] = []
    logs = [open(tmp_path / f"worker-{i}.log", "w+") for i in range(2)]  # noqa: SIM115
    try:
        workers.append(_worker("reports", env, logs[0]))
        workers.append(_worker("mail,default", env, logs[1]))
        _shell(f"from reports.services import enqueue; enqueue({run.pk})", env)

        def report_worker_waits_on_the_lock() -> bool:
            with psycopg2.connect(env["DATABASE_URL"]) as probe, probe.cursor() as c:
                c.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
                    " AND query ILIKE %s",
                    [dbname, "%reports_reportrun%FOR UPDATE%"],
                )
                row = c.fetchone()
                return row is not None and row[0] == 1

        wait_for(report_worker_waits_on_the_lock, timeout=60)
        started = time.monotonic()
        _shell(
            "from django.db import transaction; from accounts.models import User; "
            "from notifications.services import notify; from notifications.models import Kind\n"
            "with transaction.atomic():\n"
            f"    notify(kind=Kind.APPROVED, recipients=[User.objects.get(pk={staff_a.pk})], title='Đề án được duyệt')",
            env,
        )
        log = wait_for(lambda: EmailLog.objects.filter(status=EmailStatus.SENT).first(), timeout=60)
        elapsed = time.monotonic() - started
        assert log is not None and log.to == "staff.a@example.gov.vn"
        # The report is still stuck while the email went out.
        assert report_worker_waits_on_the_lock()
        assert ReportRun.objects.get(pk=run.pk).status == RunStatus.QUEUED
        assert elapsed < 30, f"the email took {elapsed:.1f} s"
        locker.rollback()
        wait_for(
            lambda: ReportRun.objects.get(pk=run.pk).status in (RunStatus.DONE, RunStatus.FAILED), timeout=120
        )
        assert ReportRun.objects.get(pk=run.pk).status == RunStatus.DONE
    finally:
        locker.close()
        for proc in workers:
            stop(proc)
        for handle in logs:
            handle.seek(0)
            print(handle.read()[-3000:])
            handle.close()
        client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
