"""gunicorn settings for the portal's web processes (systemd: khuyencong-web.service; make serve).

Every value can be changed through the environment, so the same file serves one small machine and a
row of web nodes behind a load balancer.
"""

import multiprocessing
import os

wsgi_app = "khuyencong.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads in a few processes: the requests wait on PostgreSQL more than on the CPU. Each thread keeps
# its own database connection (CONN_MAX_AGE), so workers x threads must stay under the pool's limit.
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Long work (reports, PDFs, imports of whole registers) runs in Celery; a request past this is a bug.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# nginx on the same host sets X-Forwarded-Proto; only it is believed (see deploy/nginx).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No query strings in the access log: search terms may be names (personal data).
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
proc_name = "khuyencong-web"


def child_exit(server: object, worker: object) -> None:
    """Prometheus multiprocess mode (PROMETHEUS_MULTIPROC_DIR): forget a finished worker's gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]  # prometheus_client ships no stubs for its multiprocess module
