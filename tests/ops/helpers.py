"""Helpers for the operations tests: real processes (workers, servers) against the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def database_url(settings_dict: dict) -> str:
    """The URL of the database Django is using now (the test database inside a test)."""
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    """The environment for a child process of the portal pointed at the current (test) database."""
    from django.db import connection

    env = dict(os.environ)
    env.pop("DJANGO_TEST_DB_NAME", None)
    env["DATABASE_URL"] = database_url(connection.settings_dict)
    env["DJANGO_SETTINGS_MODULE"] = "khuyencong.settings"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def wait_for[T](check: Callable[[], T], timeout: float, interval: float = 0.2) -> T:
    """Poll ``check`` until it returns something true; return it, or raise after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"not true after {timeout} s: {check}")
        time.sleep(interval)


def stop(proc: subprocess.Popen, timeout: float = 20) -> None:
    """Stop a child process we started: TERM, then KILL."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def manage(url: str, *args: str, **env: str) -> str:
    """``manage.py`` in a child process against the database at ``url``; its output."""
    result = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=process_env(DATABASE_URL=url, **env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout
