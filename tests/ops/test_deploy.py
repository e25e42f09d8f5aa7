"""The production kit in deploy/ is checked by the tools that will run it: systemd-analyze for the
units, nginx -t for the proxy; and it agrees with the portal's settings and with make serve."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.ops.helpers import ROOT

DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("khuyencong*"))


def _queue(command: str) -> str:
    """The queue a worker command line consumes (its -Q argument)."""
    match = re.search(r" -Q (\S+)", command)
    assert match is not None, command
    return match.group(1)


def _units_for_this_checkout(tmp_path: Path) -> list[Path]:
    """The units with their install paths pointed at this checkout (systemd-analyze checks that each
    ExecStart binary exists)."""
    (tmp_path / "var").mkdir()
    (tmp_path / "env").write_text("DJANGO_DEBUG=false\n")
    out = []
    for unit in UNITS:
        text = (
            unit.read_text()
            .replace("/srv/khuyencong/app", str(ROOT))
            .replace("/srv/khuyencong/var", str(tmp_path / "var"))
            .replace("/etc/khuyencong/env", str(tmp_path / "env"))
        )
        target = tmp_path / unit.name
        target.write_text(text)
        out.append(target)
    return out


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze (apt: systemd) missing")
def test_systemd_units_verify(tmp_path):
    units = _units_for_this_checkout(tmp_path)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, units)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    # Unknown keys are only warnings to systemd: any output at all fails the check.
    assert result.returncode == 0 and not result.stderr.strip() and not result.stdout.strip(), result.stderr


def test_one_worker_unit_per_queue_and_exactly_one_beat():
    from khuyencong.celery import QUEUES

    texts = {unit.name: unit.read_text() for unit in UNITS}
    starts = {name: re.search(r"^ExecStart=(.*)$", t, re.M) for name, t in texts.items()}
    commands = {name: m.group(1) for name, m in starts.items() if m}
    beats = [name for name, cmd in commands.items() if " beat " in cmd]
    assert beats == ["khuyencong-beat.service"]
    queues = sorted(_queue(cmd) for cmd in commands.values() if " worker " in cmd)
    assert queues == sorted(QUEUES)
    assert not any(re.search(r"\s(-B|--beat)\b", cmd) for cmd in commands.values())
    target = texts["khuyencong.target"]
    for name in texts:
        if name.endswith(".service"):
            assert name in target
    # make serve runs the same processes.
    procfile = (DEPLOY / "Procfile").read_text()
    lines = [ln for ln in procfile.splitlines() if ln and not ln.startswith("#")]
    assert sum(" beat " in ln for ln in lines) == 1
    assert sorted(_queue(ln) for ln in lines if " worker " in ln) == sorted(QUEUES)
    assert any("gunicorn -c deploy/gunicorn.conf.py" in ln for ln in lines)


def _self_signed(tmp_path: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "khuyencong.example.gov.vn")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.mark.skipif(not NGINX, reason="nginx (apt: nginx-light) missing")
def test_nginx_configuration_passes_nginx_t(tmp_path):
    assert NGINX is not None
    cert, key = _self_signed(tmp_path)
    site = (
        (DEPLOY / "nginx" / "khuyencong.conf")
        .read_text()
        .replace("/etc/ssl/khuyencong/fullchain.pem", str(cert))
        .replace("/etc/ssl/khuyencong/privkey.pem", str(key))
        .replace("/srv/khuyencong/var/staticfiles/", f"{tmp_path}/static/")
    )
    (tmp_path / "site.conf").write_text(site)
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n {mime}\n access_log off;\n client_body_temp_path {tmp_path}/body;\n"
        f" proxy_temp_path {tmp_path}/proxy;\n include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        [
            NGINX,
            "-t",
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "error.log"),
            "-c",
            str(tmp_path / "nginx.conf"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_nginx_agrees_with_the_portal_settings(settings):
    conf = (DEPLOY / "nginx" / "khuyencong.conf").read_text()
    size = re.search(r"client_max_body_size (\d+)m;", conf)
    assert size and int(size.group(1)) * 1024 * 1024 == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > settings.KC_MAX_UPLOAD_BYTES
    assert 'Cache-Control "public, max-age=31536000, immutable"' in conf
    assert "proxy_set_header X-Real-IP $remote_addr;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "ssl_certificate " in conf and "listen 443 ssl" in conf


def test_the_client_address_is_believed_only_from_a_trusted_proxy(settings, rf):
    from core.middleware import real_client_address

    seen = {}

    def view(request):
        seen["ip"] = request.META["REMOTE_ADDR"]

    settings.KC_TRUSTED_PROXIES = ["127.0.0.1"]
    real_client_address(view)(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7"))
    assert seen["ip"] == "203.0.113.7"
    real_client_address(view)(rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_REAL_IP="203.0.113.7"))
    assert seen["ip"] == "198.51.100.9"
