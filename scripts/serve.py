"""``make serve``: the production layout on one machine, DEBUG off: gunicorn (deploy/gunicorn.conf.py),
one Celery worker per queue and one beat, under honcho (deploy/Procfile). Ctrl-C stops them all.

On loopback there is no TLS, so the secure-cookie and HTTPS-redirect settings are relaxed unless the
environment sets them; everything else is as in production. The secret key is kept in
var/secret_key (made on first use) unless DJANGO_SECRET_KEY is set.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def serve_env(host: str, port: str) -> dict[str, str]:
    """The environment of every process of the one-machine layout."""
    env = dict(os.environ)
    var = Path(env.get("KC_VAR_DIR", ROOT / "var"))
    var.mkdir(parents=True, exist_ok=True)
    if not env.get("DJANGO_SECRET_KEY"):
        key_file = var / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        env["DJANGO_SECRET_KEY"] = key_file.read_text().strip()
    env["DJANGO_DEBUG"] = "false"
    env.setdefault("DJANGO_ALLOWED_HOSTS", f"{host},localhost,127.0.0.1")
    env.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    env.setdefault("DJANGO_SECURE_COOKIES", "false")
    env.setdefault("DJANGO_SECURE_HSTS_SECONDS", "0")
    env.setdefault("DJANGO_STATIC_ROOT", str(var / "staticfiles"))
    env.setdefault("GUNICORN_BIND", f"{host}:{port}")
    env.setdefault("GUNICORN_WORKERS", "2")
    env.setdefault("KC_SITE_URL", f"http://{host}:{port}")
    # Web and worker processes share their metrics through files (emptied at each start).
    env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(var / "prometheus"))
    metrics_dir = Path(env["PROMETHEUS_MULTIPROC_DIR"])
    metrics_dir.mkdir(parents=True, exist_ok=True)
    for stale in metrics_dir.glob("*.db"):
        stale.unlink()
    if not env.get("DATABASE_URL"):
        # One private PostgreSQL for all the processes, started here once.
        from core.embedded_postgres import ensure_embedded_postgres

        env["DATABASE_URL"] = ensure_embedded_postgres(var)
    return env


def static_is_current(static_root: Path) -> bool:
    """Collected files are newer than the portal's static sources and the pinned packages: a restart
    skips collectstatic (hashing and compressing everything takes about a minute of CPU)."""
    manifest = static_root / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    sources = [ROOT / "requirements.txt", *(p for p in (ROOT / "static").rglob("*") if p.is_file())]
    return all(p.stat().st_mtime <= built for p in sources)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    args = parser.parse_args()
    env = serve_env(args.host, args.port)
    python = sys.executable
    steps = [["migrate", "--noinput", "-v0"]]
    if not static_is_current(Path(env["DJANGO_STATIC_ROOT"])):
        steps.append(["collectstatic", "--noinput", "-v0"])
    for step in steps:
        subprocess.run([python, "manage.py", *step], cwd=ROOT, env=env, check=True)
    print(f"Cổng khuyến công (production layout, DEBUG off): http://{args.host}:{args.port}/", flush=True)
    honcho = str(Path(python).parent / "honcho")
    os.chdir(ROOT)
    os.execve(honcho, [honcho, "start", "-f", "deploy/Procfile", "-d", str(ROOT), "-e", os.devnull], env)


if __name__ == "__main__":
    sys.exit(main())
