"""Every type-ignore comment names its error code and says why (on its line or the comment line above).

mypy (configured in pyproject.toml, run by .ci/run) reports ignores that no longer silence anything;
this test keeps the remaining ones explained.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "var", "static", "node_modules", "migrations"}
IGNORE = re.compile(r"#\s*type:\s*[i]gnore(?P<codes>\[[^\]]*\])?(?P<rest>.*)$")


def _python_files() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if not SKIP & set(p.relative_to(ROOT).parts)]


def test_each_type_ignore_has_a_code_and_a_reason() -> None:
    bad = []
    for path in _python_files():
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            match = IGNORE.search(line)
            if match is None:
                continue
            reason_here = match["rest"].strip().startswith("#")
            above = lines[number - 2].strip() if number > 1 else ""
            reason_above = above.startswith("#") and "type: ignore" not in above
            if not match["codes"] or not (reason_here or reason_above):
                bad.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not bad, "type: ignore without an error code or a reason:\n" + "\n".join(bad)
