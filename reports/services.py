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
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.scoping import user_can_see_province

from .models import ReportRun, RunStatus
from .registry import Report, get_report

logger = logging.getLogger(__name__)

LOCK_NAMESPACE = 7246  # pg_advisory_lock(namespace, run_pk): two-int form, unlikely to collide
MAX_ATTEMPTS = 3


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


def enqueue(run_pk: int) -> None:
    """Send the run to the workers (called after commit, so the worker finds the row)."""
    from .tasks import generate_report

    try:
        generate_report.apply_async(args=[run_pk])
    except Exception:
        # The broker is down: the run stays queued and the sweeper sends it again later.
        logger.exception("could not enqueue report run %s", run_pk)


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
            with tempfile.NamedTemporaryFile(suffix=f".{report.extension}") as tmp:
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


def _claim(run_pk: int) -> ReportRun | None:
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().filter(pk=run_pk).first()
        if run is None or run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
            return None
        run.status = RunStatus.RUNNING
        run.started_at = timezone.now()
        run.finished_at = None
        run.attempts += 1
        run.progress = 0
        run.error = ""
        run.save(update_fields=["status", "started_at", "finished_at", "attempts", "progress", "error"])
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
        ReportRun.objects.filter(pk=run_pk, status=RunStatus.RUNNING).update(progress=value)

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
    """Requeue runs stuck past the hard time limit (their worker died); give up after MAX_ATTEMPTS.
    Also re-send runs still queued long after the request (a lost message)."""
    now = now or timezone.now()
    stuck_before = now - dt.timedelta(seconds=hard_time_limit() + 60)
    lost_before = now - dt.timedelta(seconds=hard_time_limit() + 60)
    requeued = failed = 0
    candidates = ReportRun.objects.filter(status=RunStatus.RUNNING, started_at__lt=stuck_before).values_list(
        "pk", "attempts"
    )
    for pk, attempts in candidates:
        if not _lock_is_free(pk):
            continue
        if attempts >= MAX_ATTEMPTS:
            _fail(
                pk,
                _("Báo cáo bị gián đoạn %(n)s lần; hãy thu hẹp phạm vi rồi yêu cầu lại.") % {"n": attempts},
            )
            failed += 1
            continue
        with transaction.atomic():
            updated = ReportRun.objects.filter(
                pk=pk, status=RunStatus.RUNNING, started_at__lt=stuck_before
            ).update(status=RunStatus.QUEUED, progress=0)
            if updated:
                transaction.on_commit(partial(enqueue, pk))
                requeued += 1
    for pk in ReportRun.objects.filter(
        status=RunStatus.QUEUED, started_at__isnull=True, created_at__lt=lost_before
    ).values_list("pk", flat=True):
        transaction.on_commit(partial(enqueue, pk))
        requeued += 1
    return {"requeued": requeued, "failed": failed}


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
