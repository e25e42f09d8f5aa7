"""Identifier checks shared by the form, the import and the services (one message per mistake)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum
from stdnum.vn import mst

from core.parsing import is_ascii_digits

_SEPARATORS = re.compile(r"[\s.\-_/]")


def normalise_tax_code(raw: object) -> str:
    """Digits of a mã số thuế (10, or 13 for a branch) with a valid check digit; '' for blank input.

    Numbers typed into Excel lose their leading zero (0100109106 → 100109106); a 9- or 12-digit number
    is padded back before the check digit is verified, so only a genuine code passes.
    """
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        text = str(raw)
        if len(text) in (9, 12):
            text = "0" + text
    else:
        text = _SEPARATORS.sub("", str(raw))
    if not text:
        return ""
    if not is_ascii_digits(text):
        raise ValidationError(
            _("Mã số thuế chỉ gồm chữ số (có thể có dấu gạch ngang trước mã chi nhánh): “%(value)s”.")
            % {"value": raw},
            code="tax_code_letters",
        )
    if len(text) not in (10, 13):
        raise ValidationError(
            _("Mã số thuế phải có 10 chữ số, hoặc 13 chữ số với chi nhánh (đang có %(n)s chữ số).")
            % {"n": len(text)},
            code="tax_code_length",
        )
    try:
        mst.validate(text)
    except InvalidChecksum:
        raise ValidationError(
            _("Mã số thuế %(value)s sai chữ số kiểm tra (chữ số thứ 10). Vui lòng kiểm tra lại.")
            % {"value": text},
            code="tax_code_checksum",
        ) from None
    except Exception:
        raise ValidationError(
            _("Mã số thuế %(value)s không hợp lệ.") % {"value": text}, code="tax_code_invalid"
        ) from None
    return text


def normalise_personal_id(raw: object) -> str:
    """The 12 digits of a personal identification number (CCCD); '' for blank input."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = (
        str(raw).zfill(12) if isinstance(raw, int) and len(str(raw)) == 11 else _SEPARATORS.sub("", str(raw))
    )
    if not text:
        return ""
    if not is_ascii_digits(text) or len(text) != 12:
        raise ValidationError(_("Số định danh cá nhân phải gồm đúng 12 chữ số."), code="personal_id_invalid")
    return text


def tax_code_display(code: str) -> str:
    """0100109106001 → 0100109106-001."""
    return mst.format(code) if code else ""
