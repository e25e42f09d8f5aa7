"""Reading one cell of a clerk's workbook: text, whole numbers, money, dates typed as text, yes/no."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from core.money import MoneyParseError, parse_vnd
from core.search import fold
from core.sheets import is_blank

_YES = {"co", "x", "yes", "1", "true", "dung", "v", "ghi nhan", "lich su"}
_NO = {"khong", "no", "0", "false", "", "sai"}
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class CellError(ValueError):
    """A cell that cannot be read as what its column holds (the message is Vietnamese)."""


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def whole(value: Any, *, minimum: int = 0) -> int | None:
    """A whole number ("1.250" and 1250.0 included); None when blank."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” không phải số nguyên.") % {"value": value})
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        cleaned = value.strip().replace(".", "").replace(" ", "").replace(",", "")
        if re.fullmatch(r"-?\d{1,15}", cleaned):
            value = int(cleaned)
    if not isinstance(value, int):
        raise CellError(_("“%(value)s” không phải số nguyên.") % {"value": text(value)})
    if value < minimum:
        raise CellError(_("Không được âm (đang là %(value)s).") % {"value": value})
    return value


def money(value: Any, *, positive: bool = False) -> int | None:
    """An amount in đồng: 350000000, "350.000.000", "350 triệu"; a formula's float to the đồng."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Số tiền “%(value)s” không hợp lệ.") % {"value": value})
    if isinstance(value, float):
        if abs(value - round(value)) > 0.001 or abs(value) > 1e15:
            raise CellError(_("Số tiền “%(value)s” không phải số đồng nguyên.") % {"value": value})
        value = round(value)
    try:
        amount = parse_vnd(value)
    except (MoneyParseError, ValueError):
        raise CellError(_("Số tiền “%(value)s” không hợp lệ.") % {"value": text(value)}) from None
    if amount is None:
        return None
    if amount < 0 or (positive and amount == 0):
        raise CellError(_("Số tiền phải lớn hơn 0.") if positive else _("Số tiền không được âm."))
    if amount > 10**15:
        raise CellError(_("Số tiền “%(value)s” quá lớn.") % {"value": text(value)})
    return amount


def date(value: Any) -> dt.date | None:
    """A date cell, a date typed as text (15/03/2021, 15-3-2021, 15.03.2021, 2021-03-15), or a serial."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20_000 < value < 80_000:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    raw = text(value).lower().removeprefix("ngày").strip()
    match = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", raw)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?", raw)
    try:
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:
        pass
    raise CellError(
        _("“%(value)s” không phải ngày hợp lệ (ghi dạng ngày/tháng/năm).") % {"value": text(value)}
    )


def year(value: Any) -> int | None:
    """A year, also from a date or a typed date."""
    if is_blank(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    if isinstance(value, str) and not re.fullmatch(r"\s*\d{4}\s*", value):
        parsed = date(value)  # not blank here, so a date or a CellError
        return parsed.year if parsed is not None else None
    number = whole(value)
    if number is None or not 1990 <= number <= 2100:
        raise CellError(_("Năm “%(value)s” không hợp lệ.") % {"value": text(value)})
    return number


def yes(value: Any) -> bool:
    key = fold(text(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(_("Chỉ ghi “có” hoặc “không” (đang là “%(value)s”).") % {"value": text(value)})
