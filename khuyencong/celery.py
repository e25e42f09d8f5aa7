"""The Celery application. Schedules are defined here in code (django-celery-beat has no release
for Django 6.1): apps add entries to ``app.conf.beat_schedule`` from their ``tasks`` modules.

Three queues, routed here by task name, so a national deployment runs a worker pool per queue and a
slow report never holds an email (deploy/systemd has one unit per queue):

- ``reports``: report files, the papers' PDF rendering
  (LibreOffice) and the history import's dry run and commit: minutes of CPU each, at worst;
- ``mail``: notification emails, reminders and digests: short, and the office waits for them;
- ``default``: everything else (housekeeping, scheduling).

A worker started without ``-Q`` (``make run``'s single worker) consumes all three.
"""

import os

from celery import Celery
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")

QUEUES = ("default", "reports", "mail")

#: Task name (or glob) → queue. Anything not listed goes to ``default``.
ROUTES = {
    "reports.generate_report": {"queue": "reports"},
    "papers.tasks.render_pdf": {"queue": "reports"},
    "imports.*": {"queue": "reports"},
    "notifications.tasks.*": {"queue": "mail"},
}

app = Celery("khuyencong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name, Exchange(name), routing_key=name) for name in QUEUES]
app.conf.task_default_queue = "default"
app.conf.task_default_exchange = "default"
app.conf.task_default_routing_key = "default"
app.conf.task_routes = (ROUTES,)
app.autodiscover_tasks()

# Every task's log lines carry its id (and the id of the web request that sent it); durations are
# measured for /metrics (core/observability.py).
from core.observability import connect_celery_signals  # noqa: E402

connect_celery_signals()
app.conf.beat_schedule = {}
