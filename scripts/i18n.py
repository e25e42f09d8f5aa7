"""Refresh the English catalogue: ``makemessages``, fill msgstr from the glossaries, write the .mo.

Source strings are Vietnamese. English renderings live in ``locale/en/glossary/<app>.json``
(one file per app so parallel work does not collide). The compiled ``django.mo`` is committed, so
the English interface works on machines without gettext. Run: ``.venv/bin/python scripts/i18n.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale" / "en" / "LC_MESSAGES"


def main() -> int:
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "--ignore",
            ".venv/*",
            "--ignore",
            "var/*",
            "--ignore",
            "tests/*",
            "--ignore",
            "benchmarks/*",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    glossary: dict[str, str] = {}
    for path in sorted((ROOT / "locale" / "en" / "glossary").glob("*.json")):
        glossary.update(json.loads(path.read_text(encoding="utf-8")))
    po = polib.pofile(str(LOCALE / "django.po"))
    missing = []
    for entry in po:
        if entry.msgid in glossary:
            entry.msgstr = glossary[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr:
            missing.append(entry.msgid)
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata_is_fuzzy = False
    po.save()
    po.save_as_mofile(str(LOCALE / "django.mo"))
    # Vietnamese for third-party messages (DRF's): hand-written source, compiled here.
    vi = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
    if vi.exists():
        polib.pofile(str(vi)).save_as_mofile(str(vi.with_suffix(".mo")))
    print(f"{len(po) - len(missing)} translated, {len(missing)} without English")
    for msgid in missing[:40]:
        print("  missing:", msgid.replace("\n", " ")[:100])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
