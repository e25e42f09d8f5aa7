"""The bench's results: the JSON record and the Markdown table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchmarks.parts.common import PROFILES


# --- output ---------------------------------------------------------------------------------------------
@dataclass
class Results:
    scale: str
    seed: int
    started_at: str
    machine: dict[str, Any] = field(default_factory=dict)
    dataset: dict[str, Any] = field(default_factory=dict)
    bare_view: dict[str, Any] = field(default_factory=dict)
    pages: list[dict[str, Any]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    import_export: list[dict[str, Any]] = field(default_factory=list)
    throughput: dict[str, Any] = field(default_factory=dict)
    total_seconds: float = 0.0
    load_average_end: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    facilities: dict[str, Any] = field(default_factory=dict)
    history: dict[str, Any] = field(default_factory=dict)


def fmt(value: Any, digits: int = 1) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def markdown(results: Results) -> str:
    m = results.machine
    lines = [
        f"# make bench — scale {results.scale} (seed {results.seed}), {results.started_at}",
        "",
        f"Machine: {m.get('nproc')} CPU ({m.get('cpu')}), {m.get('memory_gib')} GiB RAM, "
        f"PostgreSQL {m.get('postgresql')}, Python {m.get('python')}, Django {m.get('django')}, "
        f"kernel {m.get('kernel')}. Load average at start {m.get('load_average')}, at end "
        f"{results.load_average_end} (other processes on the machine share its CPUs).",
        "",
        "Data: "
        + ", ".join(f"{k.split('.')[-1]} {v:,}" for k, v in results.dataset.get("counts", {}).items())
        + (
            f" (generated in {results.dataset['generated_seconds']} s)"
            if results.dataset.get("generated_seconds")
            else " (reused)"
        ),
        "",
        "## Key pages (server time through Django's test client, DEBUG off)",
        "",
        f"Reference — bare Django view: p50 {fmt(results.bare_view.get('p50_ms'), 2)} ms, "
        f"p95 {fmt(results.bare_view.get('p95_ms'), 2)} ms.",
        "",
        "| page | user | status | p50 ms | p95 ms | queries | raw SQL p50 ms "
        "| admin changelist p50 / p95 ms (queries) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in results.pages:
        admin = (
            f"{fmt(p['admin_p50_ms'])} / {fmt(p['admin_p95_ms'])} ({p['admin_queries']})"
            if p.get("admin_p50_ms") is not None
            else "–"
        )
        if not p.get("status"):
            lines.append(f"| {p['label']} | {p['user']} | – | – | – | – | – | {p.get('note', '')} |")
            continue
        lines.append(
            f"| {p['label']} | {p['user']} | {p['status']} | {fmt(p['p50_ms'])} | {fmt(p['p95_ms'])} | "
            f"{p['queries']} | {fmt(p['sql_floor_p50_ms'])} | {admin} |"
        )
    t = results.throughput
    lines += ["", "## Throughput (gunicorn + wrk on loopback)", ""]
    if t.get("skipped"):
        lines.append(f"Skipped: {t['skipped']}.")
    elif t:
        lines += [
            f"gunicorn {t.get('gunicorn_workers')} sync workers, wrk 1 thread × {t.get('connections')} "
            f"connections, {PROFILES[results.scale]['duration']} s each.",
            "",
            "| workload | req/s | p50 ms | p90 ms | p99 ms | requests | non-2xx/3xx | socket errors |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for key, label in (
            ("bare", "bare Django view (reference)"),
            ("mixed", "mixed staff + manager"),
            ("opendata", "open data, anonymous (/du-lieu-mo/)"),
        ):
            w = t.get(key, {})
            lines.append(
                f"| {label} | {fmt(w.get('requests_per_second'))} | {fmt(w.get('latency_50_ms'))} | "
                f"{fmt(w.get('latency_90_ms'))} | {fmt(w.get('latency_99_ms'))} | {fmt(w.get('requests'))} | "
                f"{fmt(w.get('non_2xx_3xx'))} | {fmt(w.get('errors'))} |"
            )
        if t.get("opendata_share_of_bare") is not None:
            lines += [
                "",
                f"Open data at {t['opendata_share_of_bare']:.0%} of the bare view's throughput (goal ≥ 50%).",
            ]
    lines += ["", "## Report generation (report_run_execute, as the worker runs it)", ""]
    lines += ["| report | scope | outcome | seconds | bytes |", "|---|---|---|---|---|"]
    for r in results.reports:
        lines.append(
            f"| {r['report']} | {r['scope']} | {r['outcome']} | {fmt(r['seconds'], 2)} | {fmt(r['bytes'])} |"
        )
    lines += ["", "## Import and export (child process each)", ""]
    lines += [
        "| operation | status | seconds | bytes / rows | RSS before → peak MiB | tracemalloc peak MiB |",
        "|---|---|---|---|---|---|",
    ]
    for r in results.import_export:
        size = r.get("bytes") or r.get("rows") or ""
        seconds = r.get("seconds")
        if r.get("commit_seconds") is not None:
            seconds = f"{r.get('check_seconds')} + {r.get('commit_seconds')}"
        lines.append(
            f"| {r['operation']} | {r.get('status', r.get('error', '')[:60])} | {fmt(seconds, 2)} "
            f"| {fmt(size)} | {fmt(r.get('rss_before_mib'))} → {fmt(r.get('rss_peak_mib'))} "
            f"| {fmt(r.get('tracemalloc_peak_mib'))} |"
        )
    if results.history:
        from benchmarks import history

        lines += history.markdown(results.history)
    lines += ["", f"Whole run: {results.total_seconds:.0f} s."]
    if results.errors:
        lines += ["", "Errors: " + "; ".join(results.errors)]
    return "\n".join(lines) + "\n"
