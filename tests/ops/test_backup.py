"""The backup is proven by restoring it: build data, ``make backup``, ``make restore`` into a fresh
database and empty storage, and every table's row count, every money sum and every file match."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.ops.dbstats import database_stats
from tests.ops.helpers import ROOT, manage, process_env

pytestmark = [pytest.mark.worker]


def make(target: str, url: str, media: Path, tmp_path: Path, *args: str) -> str:
    env = process_env(DATABASE_URL=url, DJANGO_MEDIA_ROOT=str(media), KC_BACKUP_DIR=str(tmp_path / "backups"))
    result = subprocess.run(
        ["make", "-s", target, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_backup_then_restore_into_a_fresh_database_gives_back_every_row_and_every_dong(
    scratch_databases, tmp_path
):
    source, media = scratch_databases(), tmp_path / "media"
    manage(
        source,
        "shell",
        "-c",
        "from tests.ops.populate import populate; populate()",
        DJANGO_MEDIA_ROOT=str(media),
    )
    before = database_stats(source)
    assert before["money"]["funding_moneyentry.amount"] > 0 and len(files_under(media)) == 2

    folder = Path(make("backup", source, media, tmp_path).strip().splitlines()[-1])
    assert folder.parent == tmp_path / "backups" and folder.name.startswith("khuyencong-")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["files"]) == {"database.dump", "files.tar"}
    assert all(len(f["sha256"]) == 64 and f["size"] > 0 for f in manifest["files"].values())
    assert manifest["rows"] == before["rows"] and manifest["money"] == before["money"]
    assert (tmp_path / "backups" / "LAST_SUCCESS").exists()

    target, restored_media = scratch_databases(template=False), tmp_path / "restored-media"
    out = make("restore", target, restored_media, tmp_path, f"BACKUP={folder}")
    assert "healthz" in out and '"status": "ok"' in out
    after = database_stats(target)
    # make restore compared the counts with the manifest before it ran reconcile, which logs its run.
    ran = {t for t in after["rows"] if t.startswith("funding_reconcilerun")}
    assert {t: n for t, n in after["rows"].items() if t not in ran} == {
        t: n for t, n in before["rows"].items() if t not in ran
    }
    assert after["money"] == before["money"]
    assert files_under(restored_media) == files_under(media)


def test_restore_refuses_a_damaged_backup_or_a_database_in_use(scratch_databases, tmp_path):
    source, media = scratch_databases(), tmp_path / "media"
    folder = Path(make("backup", source, media, tmp_path).strip().splitlines()[-1])
    env = process_env(DATABASE_URL=source, DJANGO_MEDIA_ROOT=str(tmp_path / "m2"))
    result = subprocess.run(
        ["make", "-s", "restore", f"BACKUP={folder}"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "không trống" in result.stderr
    with (folder / "database.dump").open("ab") as handle:
        handle.write(b"x")
    env["DATABASE_URL"] = scratch_databases(template=False)
    result = subprocess.run(
        ["make", "-s", "restore", f"BACKUP={folder}"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SHA-256" in result.stderr
