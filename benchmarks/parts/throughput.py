"""Throughput under gunicorn with wrk on loopback: a bare view beside the mixed staff/manager workload."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks.parts.common import ROOT, VAR
from benchmarks.parts.pages import key_pages, sample_objects


# --- throughput under gunicorn + wrk ---------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(workers: int) -> Iterator[str]:
    port = free_port()
    log_path = VAR / "gunicorn.log"
    VAR.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log_file:
        proc = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "khuyencong.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--worker-class=sync",
                "--timeout=60",
                "--log-level=warning",
            ],
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=os.environ.copy(),
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/__bench__/bare/", timeout=2).read()
                    break
                except Exception:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"gunicorn did not start; see {log_path}") from None
                    time.sleep(0.3)
            yield base
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


WRK_SCRIPT = """
local reqs = {%s}
local i = 0
request = function()
  i = i %% #reqs + 1
  local r = reqs[i]
  return wrk.format("GET", r[1], {["Cookie"] = r[2]})
end
"""


def parse_wrk(output: str) -> dict[str, Any]:
    def unit_ms(text: str) -> float:
        for suffix, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)):
            if text.endswith(suffix):
                return float(text[: -len(suffix)]) * factor
        return float(text)

    result: dict[str, Any] = {"errors": 0, "non_2xx_3xx": 0}
    for line in output.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            result["requests_per_second"] = float(parts[1])
        elif line.strip().startswith(("50%", "90%", "99%")) and len(parts) == 2:
            result[f"latency_{parts[0].rstrip('%')}_ms"] = round(unit_ms(parts[1]), 1)
        elif "requests in" in line:
            result["requests"] = int(parts[0])
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            result["non_2xx_3xx"] = int(parts[-1])
        elif line.strip().startswith("Socket errors:"):
            result["errors"] = sum(int(p.rstrip(",")) for p in parts if p.rstrip(",").isdigit())
    return result


def run_wrk(base: str, requests: list[tuple[str, str]], duration: int, connections: int) -> dict[str, Any]:
    entries = ", ".join(f'{{"{path}", "{cookie}"}}' for path, cookie in requests)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT % entries)
        script = fh.name
    try:
        proc = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "30s",
                "--latency",
                "-s",
                script,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
        )
    finally:
        os.unlink(script)
    return parse_wrk(proc.stdout) | ({"stderr": proc.stderr[-300:]} if proc.returncode else {})


def session_cookie(username: str) -> str:
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def measure_throughput(profile: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    if not shutil.which("wrk"):
        log("  wrk không có trên máy (apt-get install wrk): bỏ qua đo thông lượng")
        return {"skipped": "wrk not installed"}
    samples = sample_objects()
    pages = {p.key: p for p in key_pages(samples)}
    staff, manager = session_cookie("bench.staff"), session_cookie("bench.manager")
    # A working day: staff browse and enter, managers review and watch the dashboard (3:2).
    mix = [
        ("facility_list", staff, 3),
        ("facility_search", staff, 2),
        ("project_list", staff, 2),
        ("project_detail", staff, 2),
        ("payment_entry", staff, 1),
        ("project_list", manager, 2),
        ("project_detail", manager, 2),
        ("province_dashboard", manager, 2),
    ]
    requests = []
    for key, cookie, weight in mix:
        url = pages[key].url() if key in pages else None
        if url:
            requests += [(url, cookie)] * weight
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = 2 * nproc
    result: dict[str, Any] = {"gunicorn_workers": workers, "connections": profile["connections"]}
    with gunicorn(workers) as base:
        # Every URL must answer 200 with its cookie, or wrk would measure redirects.
        failing = set()
        for url, cookie in sorted(set(requests)):
            req = urllib.request.Request(f"{base}{url}", headers={"Cookie": cookie})
            try:
                with urllib.request.urlopen(req, timeout=60) as response:
                    if response.url.rstrip("/") != f"{base}{url}".rstrip("/"):
                        raise RuntimeError(f"redirected to {response.url}")
            except Exception as exc:
                log(f"  {url}: {exc} — bỏ khỏi tải hỗn hợp")
                failing.add((url, cookie))
        requests = [r for r in requests if r not in failing]
        result["failed_urls"] = sorted(u for u, _ in failing)
        result["bare"] = run_wrk(
            base, [("/__bench__/bare/", "")], profile["duration"], profile["connections"]
        )
        log(f"  bare view      {json.dumps(result['bare'])}")
        result["mixed"] = run_wrk(base, requests, profile["duration"], profile["connections"])
        result["mixed_urls"] = sorted({u for u, _ in requests})
        log(f"  mixed workload {json.dumps(result['mixed'])}")
        # Open data (issue 13): anonymous visitors on the pages and files, which must keep ≥ 50 % of the
        # bare view's throughput. Warm each URL once (the first visit builds the cached snapshot).
        open_urls = [
            "/du-lieu-mo/",
            "/du-lieu-mo/?nam=2025",
            "/du-lieu-mo/datapackage.json",
            "/du-lieu-mo/tai-ve/theo-tinh.csv",
            "/du-lieu-mo/tai-ve/theo-noi-dung.json",
        ]
        for url in open_urls:
            with urllib.request.urlopen(f"{base}{url}", timeout=300) as response:
                response.read()
        result["opendata"] = run_wrk(
            base, [(u, "") for u in open_urls], profile["duration"], profile["connections"]
        )
        bare_rps = result["bare"].get("requests_per_second") or 0
        open_rps = result["opendata"].get("requests_per_second") or 0
        result["opendata_share_of_bare"] = round(open_rps / bare_rps, 3) if bare_rps else None
        log(f"  open data      {json.dumps(result['opendata'])} ({result['opendata_share_of_bare']} of bare)")
    return result
