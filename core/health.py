"""``/healthz`` checks: each dependency is probed on its own thread with a short budget, so a database
or broker that hangs makes the check answer "not ok" within ``KC_HEALTH_TIMEOUT`` seconds instead of
holding the request (and a worker) for as long as the TCP stack waits."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg2
from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

#: A probe still stuck from an earlier check: answer "not ok" at once rather than pile up threads.
_stuck: dict[str, threading.Thread] = {}
_stuck_lock = threading.Lock()


def database_params(timeout: float) -> dict[str, Any]:
    """libpq parameters for a fresh connection to the portal's database, with the health budget."""
    params = dict(connection.get_connection_params())
    params.pop("cursor_factory", None)
    params.pop("server_side_binding", None)
    params["connect_timeout"] = max(2, int(timeout))  # libpq's minimum is 2 s
    params["options"] = f"-c statement_timeout={int(timeout * 1000)}"
    return params


def check_database(timeout: float) -> None:
    """Open a new connection (not the request's, which may be stuck) and run ``SELECT 1``."""
    conn = psycopg2.connect(**database_params(timeout))
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        conn.close()


def check_broker(timeout: float) -> None:
    """Connect to Celery's broker."""
    from khuyencong.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=timeout)


CHECKS: dict[str, Callable[[float], None]] = {"database": check_database, "broker": check_broker}


def run_checks(timeout: float | None = None) -> dict[str, bool]:
    """Run every check in parallel; each is ok only if it finished without error within ``timeout``."""
    budget = settings.KC_HEALTH_TIMEOUT if timeout is None else timeout
    results: dict[str, bool] = {}
    threads: dict[str, threading.Thread] = {}

    def run(name: str, check: Callable[[float], None]) -> None:
        try:
            check(budget)
            results[name] = True
        except Exception:
            logger.warning("Health check %s failed", name, exc_info=True)
            results[name] = False

    with _stuck_lock:
        for name, check in CHECKS.items():
            previous = _stuck.get(name)
            if previous is not None and previous.is_alive():
                results[name] = False
                continue
            thread = threading.Thread(target=run, args=(name, check), daemon=True, name=f"healthz-{name}")
            thread.start()
            threads[name] = thread
    deadline = time.monotonic() + budget
    for name, thread in threads.items():
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            logger.warning("Health check %s did not answer within %.1f s", name, budget)
            with _stuck_lock:
                _stuck[name] = thread
    return {name: results.get(name, False) for name in CHECKS}
