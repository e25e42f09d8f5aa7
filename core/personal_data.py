"""Masking of personal data (Law 91/2025/QH15, Decree 356/2025): personal ID (CCCD) and phone
numbers are shown masked in lists, pages and exports unless a permitted user reveals one on purpose.

``mask_personal_id("001012345645") == "0010******45"``; ``mask_phone("0912345621") == "09******21"``.
"""

from __future__ import annotations


def _mask(value: str | None, keep_start: int, keep_end: int = 2) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    if len(text) <= keep_start + keep_end:
        # Too short to keep both ends: keep only the last characters (never the whole value).
        return (
            "*" * max(len(text) - keep_end, 1) + text[-keep_end:] if len(text) > keep_end else "*" * len(text)
        )
    return text[:keep_start] + "*" * (len(text) - keep_start - keep_end) + text[-keep_end:]


def mask_personal_id(value: str | None) -> str:
    """The first four digits (province and sex/century) and the last two of a CCCD."""
    return _mask(value, 4)


def mask_phone(value: str | None) -> str:
    """The first two and the last two digits of a phone number."""
    return _mask(value, 2)
