"""Money in integer đồng: parsing what staff type and formatting what they read.

VND has no minor unit, so amounts are ``int`` everywhere (``BigIntegerField`` in the database).
Accepted input: ``6.610.000.000``, ``6610000000``, ``6 610 000 000``, ``6,61 tỷ``, ``350 triệu``,
``35tr``, ``12 nghìn`` (decimal comma in scaled amounts, dots or spaces as thousands separators).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .search import fold

_UNITS = {
    "ty": 10**9,
    "ti": 10**9,
    "trieu": 10**6,
    "tr": 10**6,
    "nghin": 10**3,
    "ngan": 10**3,
    "k": 10**3,
    "dong": 1,
    "d": 1,
    "vnd": 1,
}
_SCALED = re.compile(r"^(?P<num>\d+(?:[.,]\d+)?)\s*(?P<unit>[a-z]+)?$")


class MoneyParseError(ValueError):
    pass


def apportion(total: int, weights: Sequence[int | Decimal | Fraction]) -> list[int]:
    """Split ``total`` đồng in proportion to ``weights`` by the largest-remainder method.

    Each part is the whole-đồng floor of its exact share; the đồng left over go one each to the
    parts with the largest remainders (ties: the earlier part). The parts add up to ``total``
    exactly, and each is within one đồng of its exact share: 140.000.000 over three equal weights is
    46.666.667 + 46.666.667 + 46.666.666. A negative total (a reversal) is split as its opposite.
    """
    if total < 0:
        return [-part for part in apportion(-total, weights)]
    exact_weights = [Fraction(w) for w in weights]
    if any(w < 0 for w in exact_weights):
        raise ValueError("weights must not be negative")
    whole = sum(exact_weights, Fraction(0))
    if whole == 0:
        if total == 0:
            return [0] * len(exact_weights)
        raise ValueError("cannot apportion a non-zero amount over no weight")
    shares = [total * w / whole for w in exact_weights]
    parts = [share.numerator // share.denominator for share in shares]
    left = total - sum(parts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in by_remainder[:left]:
        parts[i] += 1
    return parts


def parse_vnd(text: str | int | None) -> int | None:
    """Parse an amount in đồng; None for blank input; :class:`MoneyParseError` for nonsense."""
    if text is None:
        return None
    if isinstance(text, int):
        return text
    raw = fold(str(text)).replace("₫", "").strip()
    if not raw:
        return None
    negative = raw.startswith("-")
    raw = raw.lstrip("-").strip()
    raw = re.sub(r"\s*(dong|vnd|d)$", "", raw) if re.search(r"\d\s*(dong|vnd|d)$", raw) else raw
    compact = raw.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", compact) or re.fullmatch(r"\d{1,3}(,\d{3}){2,}", compact):
        value = int(re.sub(r"[.,]", "", compact))
    elif re.fullmatch(r"\d+", compact):
        value = int(compact)
    else:
        match = _SCALED.match(raw.replace(" ", "")) or _SCALED.match(raw)
        if not match or (match.group("unit") and match.group("unit") not in _UNITS):
            raise MoneyParseError(str(text))
        try:
            number = Decimal(match.group("num").replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - regex admits only digits
            raise MoneyParseError(str(text)) from exc
        unit = _UNITS[match.group("unit")] if match.group("unit") else 1
        scaled = number * unit
        if scaled != scaled.to_integral_value() and unit == 1:
            raise MoneyParseError(str(text))
        value = int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return -value if negative else value


def format_vnd(amount: int | None) -> str:
    """``6610000000`` → ``6.610.000.000 ₫``."""
    if amount is None:
        return "—"
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,} ₫".replace(",", ".")


def format_vnd_words(amount: int | None) -> str:
    """``6610000000`` → ``6,61 tỷ đồng``; ``350000000`` → ``350 triệu đồng``; small sums in full."""
    if amount is None:
        return "—"
    sign = "-" if amount < 0 else ""
    value = abs(int(amount))
    for unit, label in ((10**9, "tỷ đồng"), (10**6, "triệu đồng"), (10**3, "nghìn đồng")):
        if value >= unit:
            scaled = (Decimal(value) / unit).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
            text = f"{scaled:f}".replace(".", ",")
            return f"{sign}{text} {label}"
    return f"{sign}{value} đồng"


class MoneyField(forms.CharField):
    """A form field for amounts in đồng that accepts Vietnamese shorthand and returns ``int``."""

    default_error_messages = {
        "invalid": _("Số tiền không hợp lệ. Ví dụ hợp lệ: 6.610.000.000, 6610000000 hoặc 6,61 tỷ."),
        "min_value": _("Số tiền phải lớn hơn hoặc bằng %(limit)s."),
        "max_value": _("Số tiền không được vượt quá %(limit)s."),
    }

    def __init__(self, *, min_value: int | None = 0, max_value: int | None = 10**15, **kwargs: Any) -> None:
        self.min_value, self.max_value = min_value, max_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "class": "kc-money"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: object) -> object:
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value

    # A CharField for its text widget and messages, but it cleans to whole đồng: int, not str.
    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        try:
            return parse_vnd(value)
        except MoneyParseError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def validate(self, value: object) -> None:
        if value in self.empty_values and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: object) -> None:
        if value is None:
            return
        assert isinstance(value, int)
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(
                self.error_messages["min_value"],
                code="min_value",
                params={"limit": format_vnd(self.min_value)},
            )
        if self.max_value is not None and value > self.max_value:
            raise ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit": format_vnd(self.max_value)},
            )
