"""django-upgrade for the pre-commit hook, leaving alone the files this interpreter cannot tokenize
losslessly.

CPython 3.12.0 and 3.12.1 report wrong offsets for multi-line strings holding non-ASCII text, and
django-upgrade, which rewrites source from those tokens, then writes garbled files (it turned the
docstring of accounts/models.py into invalid Python). Such files are skipped with a note; the rest go
through django-upgrade unchanged. On a fixed interpreter nothing is skipped.
"""

from __future__ import annotations

import sys
import tokenize

from django_upgrade.main import main as django_upgrade
from tokenize_rt import src_to_tokens, tokens_to_src


def round_trips(path: str) -> bool:
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    try:
        return tokens_to_src(src_to_tokens(text)) == text
    except (SyntaxError, tokenize.TokenError):
        return False


def main(argv: list[str]) -> int:
    # "--target-version 6.1": the value follows its option.
    values = {argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("--target-version", "--only", "--skip")}
    paths = [a for a in argv if not a.startswith("-") and a not in values]
    skipped = [p for p in paths if not round_trips(p)]
    for path in skipped:
        print(f"django-upgrade: skipped {path} (this Python mis-tokenizes it; see scripts/upgrade_django.py)")
    kept = [p for p in paths if p not in skipped]
    if not kept:
        return 0
    return django_upgrade([a for a in argv if a not in paths] + kept)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
