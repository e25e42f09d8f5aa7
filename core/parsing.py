"""Reading numbers typed by people: only ASCII digits count.

``str.isdigit()`` is true for "²" and "٣" too, and ``int("²")`` then fails: every check for "is this an
id or a code" uses these helpers instead.
"""

from __future__ import annotations

from typing import Any

#: Longer than any bigint primary key: such a value is not an id.
MAX_ID_DIGITS = 18


def is_ascii_digits(value: Any) -> bool:
    """True for a non-empty string of the digits 0–9 only."""
    text = str(value) if value is not None else ""
    return text.isascii() and text.isdigit()


def is_ascii_id(value: Any) -> bool:
    """True when ``value`` can be a primary key: ASCII digits, not too long for the database."""
    return is_ascii_digits(value) and len(str(value)) <= MAX_ID_DIGITS


def parse_id(value: Any) -> int | None:
    """The id ``value`` names, or None."""
    return int(str(value)) if is_ascii_id(value) else None
