"""Observability: one request id per web request and Celery task in every log line, JSON logs with
no personal data, a Prometheus endpoint behind a token, and optional Sentry (deploy/README.md).

Personal data stays out: a log line carries the view's name, the path without its query string,
the status and the time, never a user name, an e-mail address, a form value or a search term.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hmac
import json
import logging
import os
import re
import time
import uuid
from pathlib import Path
from typing import Any

import prometheus_client
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("kc_request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
access_log = logging.getLogger("khuyencong.request")


class RequestIdFilter(logging.Filter):
    """Put the current request's (or task's) id on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, and the record's ``extra``
    fields named in ``FIELDS``."""

    FIELDS = ("view", "method", "path", "status", "duration_ms", "task", "queue", "state")

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for name in self.FIELDS:
            if hasattr(record, name):
                data[name] = getattr(record, name)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


# --- metrics ---------------------------------------------------------------------------------------
# The metrics of this process (or of every process of the host, with PROMETHEUS_MULTIPROC_DIR).
REQUEST_LATENCY = prometheus_client.Histogram(
    "kc_http_request_duration_seconds",
    "Time to answer a web request, by view",
    ["view", "method", "status"],
    buckets=(0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10),
)
TASK_DURATION = prometheus_client.Histogram(
    "kc_celery_task_duration_seconds",
    "Time a Celery task ran, by task and outcome",
    ["task", "state"],
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 600),
)


def request_id_middleware(get_response: Any) -> Any:
    """Take nginx's X-Request-ID when it looks like one, else make one; log the request (view,
    status, time) and answer with the id so a user's report of a fault can be found in the logs."""

    def middleware(request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.monotonic()
        try:
            response = get_response(request)
            elapsed = time.monotonic() - started
            match = getattr(request, "resolver_match", None)
            view = match.view_name if match and match.view_name else "unresolved"
            if prometheus_client is not None:
                REQUEST_LATENCY.labels(view, request.method, f"{response.status_code // 100}xx").observe(
                    elapsed
                )
            access_log.info(
                "request",
                extra={
                    "view": view,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )
            response["X-Request-ID"] = rid
            return response
        finally:
            request_id.reset(token)

    return middleware


def _queue_lengths() -> dict[str, int]:
    from khuyencong.celery import QUEUES, app

    lengths: dict[str, int] = {}
    try:
        with app.connection_for_read() as conn:
            channel = conn.default_channel
            for name in QUEUES:
                try:
                    lengths[name] = channel.queue_declare(queue=name, passive=True).message_count
                except Exception:
                    lengths[name] = 0
    except Exception:
        logging.getLogger(__name__).warning("queue lengths unavailable", exc_info=True)
    return lengths


def _last_backup_age() -> float | None:
    from core.backup import LAST_SUCCESS, backup_root

    marker = backup_root() / LAST_SUCCESS
    if not marker.exists():
        return None
    then = dt.datetime.fromisoformat(marker.read_text().strip())
    return (dt.datetime.now(dt.UTC) - then).total_seconds()


def metrics_text() -> bytes:
    """The exposition: this process's (or, with PROMETHEUS_MULTIPROC_DIR, every web and worker
    process's) histograms, and figures read at scrape time from Redis, the database and the disk."""
    from axes.models import AccessFailureLog
    from django.utils import timezone
    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.core import GaugeMetricFamily

    from reports.models import ReportRun, RunStatus

    class Figures:
        def collect(self) -> Any:
            queues = GaugeMetricFamily(
                "kc_celery_queue_length", "Messages waiting, by queue", labels=["queue"]
            )
            for name, length in _queue_lengths().items():
                queues.add_metric([name], length)
            yield queues
            failed = GaugeMetricFamily("kc_report_runs_failed", "Report runs that failed, all time")
            failed.add_metric([], ReportRun.objects.filter(status=RunStatus.FAILED).count())
            yield failed
            since = timezone.now() - dt.timedelta(hours=1)
            logins = GaugeMetricFamily("kc_login_failures_last_hour", "Failed logins in the last hour")
            logins.add_metric([], AccessFailureLog.objects.filter(attempt_time__gte=since).count())
            yield logins
            age = _last_backup_age()
            backup = GaugeMetricFamily(
                "kc_backup_last_success_age_seconds",
                "Seconds since the last successful make backup (-1: none)",
            )
            backup.add_metric([], -1 if age is None else age)
            yield backup

    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in (REQUEST_LATENCY, TASK_DURATION):
            registry.register(collector)
    registry.register(Figures())
    return generate_latest(registry)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """``/metrics`` for Prometheus: ``Authorization: Bearer <KC_METRICS_TOKEN>``; without a token
    configured the page does not exist."""
    token = settings.KC_METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return HttpResponse(status=403)
    return HttpResponse(metrics_text(), content_type=prometheus_client.CONTENT_TYPE_LATEST)


# --- Celery: the task id as request id, durations -------------------------------------------------
_task_started: dict[str, tuple[float, contextvars.Token]] = {}


def connect_celery_signals() -> None:
    from celery import signals

    @signals.before_task_publish.connect(weak=False)
    def carry_request_id(headers: dict | None = None, **kwargs: Any) -> None:
        if headers is not None and request_id.get() != "-":
            headers.setdefault("kc_request_id", request_id.get())

    @signals.task_prerun.connect(weak=False)
    def task_started(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
        parent = None
        if task is not None:  # a message header becomes a request attribute; eager runs keep .headers
            parent = getattr(task.request, "kc_request_id", None) or (task.request.headers or {}).get(
                "kc_request_id"
            )
        token = request_id.set(f"{parent}/{task_id}" if parent else task_id)
        _task_started[task_id] = (time.monotonic(), token)

    @signals.task_postrun.connect(weak=False)
    def task_finished(task_id: str = "", task: Any = None, state: str = "", **kwargs: Any) -> None:
        started, token = _task_started.pop(task_id, (None, None))
        if started is not None and task is not None:
            TASK_DURATION.labels(task.name, state or "UNKNOWN").observe(time.monotonic() - started)
        if token is not None:
            try:
                request_id.reset(token)
            except ValueError:
                request_id.set("-")


def init_sentry() -> None:
    """Sentry when SENTRY_DSN is set: errors only, never personal data (no user, no cookies, no
    request bodies)."""
    dsn = os.environ.get("SENTRY_DSN", "")
    if not dsn:
        return
    import sentry_sdk  # type: ignore[import-not-found]  # optional: installed only where SENTRY_DSN is used

    sentry_sdk.init(
        dsn=dsn,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )


def ensure_multiproc_dir() -> None:
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
