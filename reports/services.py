"""Writes of the reports app: requesting a run, executing it (the task body), sweeping and cleaning.

Idempotency, in three layers:
- a run is identified by ``idempotency_key`` (unique in the database): a double-submitted form or
  a twice-fired schedule finds the existing run instead of creating a second one;
- executing a run holds a PostgreSQL advisory lock on its pk for the whole build, so a duplicated
  message waits its turn or gives up, and a redelivered message (the first worker died, the lock
  died with its connection) takes over;
- the file is stored under a name derived from the run, and the run flips to ``done`` in the same
  transaction that points it at the file: a second execution finds ``done`` and writes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import tempfile
import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.db import reader
from core.errors import DomainError
from core.scoping import user_can_see_province

from .models import ReportRun, RunStatus
from .registry import Report, get_report

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = 7246  # pg_advisory_lock(namespace, run_pk): two-int form, unlikely to collide
MAX_ATTEMPTS = 3
#: The building worker writes ``heartbeat_at`` this often; a running run whose heartbeat is older
#: than STALE_SECONDS (and whose advisory lock is free: its connection died) lost its worker. With
#: the sweeper every minute, a run interrupted by a dead worker is sent again at most
#: STALE_SECONDS + 60 s after the last heartbeat, and at once when a worker starts (worker_ready).
HEARTBEAT_SECONDS = 10
STALE_SECONDS = 45
#: While the broker is down, the run page tries to send the run again at most this often.
RESEND_SECONDS = 5


def hard_time_limit() -> int:
    return int(getattr(settings, "CELERY_TASK_TIME_LIMIT", 600) or 600)


def retention_days() -> int:
    return int(getattr(settings, "REPORT_RETENTION_DAYS", 30))


# --- request --------------------------------------------------------------------------------------
def report_run_request(
    *, user: Any, report: Report, parameters: dict[str, Any], idempotency_key: str, scheduled: bool = False
) -> tuple[ReportRun, bool]:
    """Create (or find, for the same key) a run and enqueue it once the transaction commits."""
    province_id = report.province_of(parameters)
    if user is not None and not user_can_see_province(user, province_id):
        raise DomainError(_("Bạn không có quyền lập báo cáo cho phạm vi này."), field="province")
    with transaction.atomic():
        run, created = ReportRun.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={
                "kind": report.code,
                "parameters": parameters,
                "province_id": province_id,
                "requested_by": user,
                "scheduled": scheduled,
            },
        )
        if created:
            transaction.on_commit(lambda: enqueue(run.pk))
    return run, created


def enqueue(run_pk: int) -> bool:
    """Send the run to the workers (called after commit, so the worker finds the row) and record
    the outcome on the row: ``sent_at``, or ``send_failed_at`` when the broker is down (the run page
    says so at once; the page, the sweeper and a starting worker send it again)."""
    from .tasks import generate_report

    try:
        # No publish retries: the user is told at once, and the run is re-sent by itself anyway.
        generate_report.apply_async(args=[run_pk], retry=False)
    except Exception:
        logger.warning("could not enqueue report run %s (broker down?)", run_pk, exc_info=True)
        _note_sending(run_pk, send_failed_at=timezone.now())
        return False
    _note_sending(run_pk, sent_at=timezone.now(), send_failed_at=None)
    return True


def _note_sending(run_pk: int, **fields: Any) -> None:
    """Record the sending on a queued run, unless someone holds the row (a worker claiming it this
    very moment): never wait behind a lock here, the caller may be a web request."""
    with transaction.atomic():
        queued = ReportRun.objects.filter(pk=run_pk, status=RunStatus.QUEUED)
        free = queued.select_for_update(skip_locked=True)
        if free.values_list("pk", flat=True).first() is not None:
            ReportRun.objects.filter(pk=run_pk).update(**fields)


def report_run_resend(run: ReportRun, *, now: dt.datetime | None = None) -> bool:
    """Send again a queued run whose sending failed (the run page calls it while it polls, so the
    run leaves as soon as the broker is back); at most every RESEND_SECONDS. True when sent now."""
    now = now or timezone.now()
    failed_at = run.send_failed_at
    if run.status != RunStatus.QUEUED or failed_at is None:
        return False
    if (now - failed_at).total_seconds() < RESEND_SECONDS:
        return False
    sent = enqueue(run.pk)
    run.refresh_from_db(fields=["sent_at", "send_failed_at"])
    return sent


# --- execute --------------------------------------------------------------------------------------
@contextlib.contextmanager
def run_lock(run_pk: int) -> Iterator[bool]:
    """A session-level advisory lock on the run: held while one worker builds it, released when the
    worker finishes or its connection dies (a killed worker releases it with its connection)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, run_pk])
        acquired = bool(cursor.fetchone()[0])
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, run_pk])


def report_run_execute(*, run_pk: int) -> str:
    """Build the run's file and record the outcome; returns done, skipped, busy, failed or missing."""
    with run_lock(run_pk) as acquired:
        if not acquired:
            return "busy"
        run = _claim(run_pk)
        if run is None:
            return "skipped" if ReportRun.objects.filter(pk=run_pk).exists() else "missing"
        report = get_report(run.kind)
        try:
            if report is None:
                raise DomainError(_("Loại báo cáo “%(kind)s” không còn được hỗ trợ.") % {"kind": run.kind})
            with heartbeat(run_pk), tempfile.NamedTemporaryFile(suffix=f".{report.extension}") as tmp:
                # The report's reads may lag the primary by seconds (core/db.py); its row is not read there.
                with reader():
                    report.build(run, tmp, _progress_recorder(run_pk))
                tmp.flush()
                tmp.seek(0)
                return _store(run_pk, report, tmp)
        except SoftTimeLimitExceeded:
            _fail(
                run_pk, _("Báo cáo chạy quá thời gian cho phép; hãy thu hẹp phạm vi (năm, tỉnh) rồi thử lại.")
            )
        except DomainError as exc:
            _fail(run_pk, exc.message)
        except Exception:
            logger.exception("report run %s failed", run_pk)
            _fail(
                run_pk,
                _("Lỗi hệ thống khi tạo báo cáo (mã lần chạy #%(pk)s). Quản trị viên đã được ghi nhận lỗi.")
                % {"pk": run_pk},
            )
        return "failed"


@contextlib.contextmanager
def heartbeat(run_pk: int, every: float | None = None) -> Iterator[None]:
    """Write the run's ``heartbeat_at`` every few seconds while the block runs (a thread with its
    own database connection, so a long query of the build does not silence it)."""
    stop = threading.Event()
    interval = HEARTBEAT_SECONDS if every is None else every

    def beat() -> None:
        from django.db import connection as thread_connection

        try:
            while not stop.wait(interval):
                ReportRun.objects.filter(pk=run_pk, status=RunStatus.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # the build goes on; the sweeper judges by the heartbeat's age
            logger.warning("heartbeat of report run %s failed", run_pk, exc_info=True)
        finally:
            thread_connection.close()

    thread = threading.Thread(target=beat, name=f"report-run-{run_pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


def _claim(run_pk: int) -> ReportRun | None:
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().filter(pk=run_pk).first()
        if run is None or run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
            return None
        run.status = RunStatus.RUNNING
        run.started_at = run.heartbeat_at = timezone.now()
        run.finished_at = None
        run.attempts += 1
        run.progress = 0
        run.error = ""
        run.send_failed_at = None
        run.save(
            update_fields=[
                "status",
                "started_at",
                "heartbeat_at",
                "finished_at",
                "attempts",
                "progress",
                "error",
                "send_failed_at",
            ]
        )
    return run


def _progress_recorder(run_pk: int) -> Callable[[int], None]:
    last = {"value": -1, "at": 0.0}

    def record(value: int) -> None:
        import time

        value = max(0, min(99, int(value)))
        now = time.monotonic()
        if value == last["value"] or (value - last["value"] < 5 and now - last["at"] < 1.0):
            return
        last.update(value=value, at=now)
        ReportRun.objects.filter(pk=run_pk, status=RunStatus.RUNNING).update(
            progress=value, heartbeat_at=timezone.now()
        )

    return record


def storage_name(run: ReportRun, report: Report) -> str:
    """One deterministic name per run: a retried build overwrites, never adds, a file."""
    return f"reports/{run.created_at:%Y/%m}/run-{run.pk}.{report.extension}"


def _store(run_pk: int, report: Report, tmp: Any) -> str:
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_pk)
        if run.status == RunStatus.DONE:
            return "skipped"
        name = storage_name(run, report)
        if default_storage.exists(name):
            default_storage.delete(name)  # left by an attempt that died between write and commit
        saved = default_storage.save(name, File(tmp, name=name))
        run.file.name = saved
        run.file_name = report.filename(run)
        run.file_size = default_storage.size(saved)
        run.status = RunStatus.DONE
        run.progress = 100
        run.finished_at = timezone.now()
        run.save(update_fields=["file", "file_name", "file_size", "status", "progress", "finished_at"])
    return "done"


def _fail(run_pk: int, message: str) -> None:
    """The one place a run becomes failed."""
    ReportRun.objects.filter(pk=run_pk).exclude(status=RunStatus.DONE).update(
        status=RunStatus.FAILED, error=message[:2000], finished_at=timezone.now()
    )


# --- housekeeping ---------------------------------------------------------------------------------
def _lock_is_free(run_pk: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, run_pk])
        free = bool(cursor.fetchone()[0])
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, run_pk])
    return free


def report_runs_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Every minute (and when a worker starts): send again the runs whose worker died (running, no
    heartbeat for STALE_SECONDS, lock free), failing them after MAX_ATTEMPTS; send the queued runs
    the broker refused (``send_failed_at``) or that never left; re-send the queued runs whose message
    was lost (sent long ago, never started)."""
    now = now or timezone.now()
    stale_before = now - dt.timedelta(seconds=STALE_SECONDS)
    lost_before = now - dt.timedelta(seconds=hard_time_limit() + 60)
    requeued = failed = resent = 0
    stale = Q(heartbeat_at__lt=stale_before) | Q(heartbeat_at__isnull=True, started_at__lt=stale_before)
    candidates = ReportRun.objects.filter(stale, status=RunStatus.RUNNING).values_list("pk", "attempts")
    for pk, attempts in candidates:
        if not _lock_is_free(pk):
            continue  # its worker is alive (a long query): Celery's time limit ends it if it hangs
        if attempts >= MAX_ATTEMPTS:
            _fail(
                pk,
                _("Báo cáo bị gián đoạn %(n)s lần; hãy thu hẹp phạm vi rồi yêu cầu lại.") % {"n": attempts},
            )
            failed += 1
            continue
        with transaction.atomic():
            updated = ReportRun.objects.filter(stale, pk=pk, status=RunStatus.RUNNING).update(
                status=RunStatus.QUEUED, progress=0, sent_at=None
            )
            if updated:
                transaction.on_commit(partial(enqueue, pk))
                requeued += 1
    unsent = Q(send_failed_at__isnull=False) | Q(sent_at__isnull=True, created_at__lt=stale_before)
    lost = Q(sent_at__lt=lost_before) & (Q(started_at__isnull=True) | Q(started_at__lt=F("sent_at")))
    for pk in ReportRun.objects.filter(unsent | lost, status=RunStatus.QUEUED).values_list("pk", flat=True):
        transaction.on_commit(partial(enqueue, pk))
        resent += 1
    return {"requeued": requeued, "failed": failed, "resent": resent}


def report_files_cleanup(*, now: dt.datetime | None = None) -> int:
    """Delete files of runs finished more than REPORT_RETENTION_DAYS ago; the rows stay as history."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days())
    removed = 0
    for run in ReportRun.objects.filter(status=RunStatus.DONE, finished_at__lt=cutoff).only("pk", "file"):
        with transaction.atomic():
            locked = ReportRun.objects.select_for_update().get(pk=run.pk)
            name = locked.file.name if locked.file else None
            if name and default_storage.exists(name):
                default_storage.delete(name)
            ReportRun.objects.filter(pk=run.pk).update(status=RunStatus.EXPIRED, file="")
            removed += 1
    return removed
