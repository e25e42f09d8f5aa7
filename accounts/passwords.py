"""Password rules beyond Django's: strength measured by zxcvbn, none of the portal's own words or the
user's name, and none of the passwords in a shipped list of leaked ones.

Issue 14's probe had "khuyencong" and "Khuyencong2026" accepted. Demo users are created with
``set_password``, which runs no validator, so the README's demo logins keep working.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Words of the portal itself, folded (no diacritics, lower case, letters and digits only).
PORTAL_WORDS = (
    "khuyencong",
    "congthuong",
    "socongthuong",
    "bocongthuong",
    "trungtamkhuyencong",
    "congnghiepnongthon",
    "quantri",
    "matkhau",
    "password",
)
#: Shorter names than this are not searched for inside a password ("Huế" would refuse "hue…" anywhere).
MIN_NAME_LENGTH = 5
_PREFIXES = re.compile(r"^(tinh|thanhpho|tp)")
#: zxcvbn looks at no more than this many characters.
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input (ValueError)


def fold(text: str) -> str:
    """ "Khuyến Công 2026!" → "khuyencong2026": no diacritics, lower case, letters and digits only."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", text.lower())


@functools.cache
def _place_names() -> tuple[str, ...]:
    """Today's 34 provinces and the 63 former ones, folded and without "Tỉnh"/"Thành phố"."""
    from regions.models import LegacyProvince, Province

    names = {
        *Province.objects.values_list("name", flat=True),
        *LegacyProvince.objects.values_list("name", flat=True),
    }
    folded = {_PREFIXES.sub("", fold(n)) for n in names}
    return tuple(sorted(n for n in folded if len(n) >= MIN_NAME_LENGTH))


def _user_names(user: Any) -> list[str]:
    if user is None:
        return []
    parts = [
        getattr(user, "username", "") or "",
        getattr(user, "first_name", "") or "",
        getattr(user, "last_name", "") or "",
        (getattr(user, "email", "") or "").split("@")[0],
    ]
    parts.append(parts[1] + parts[2])
    parts.append(parts[2] + parts[1])
    names = {fold(p) for p in parts}
    # Each word of a name too: "Nguyễn Văn Minh" → "nguyen", "minh".
    for part in parts[1:3]:
        names.update(fold(w) for w in part.split())
    return sorted(n for n in names if len(n) >= 4)


class PortalWordsValidator:
    """Refuse a password that contains the portal's own words, a province's name or the user's name,
    whatever the accents, case, spaces or digits around them ("Khuyencong2026", "phutho@2026")."""

    def validate(self, password: str, user: Any = None) -> None:
        folded = fold(password)
        for word in PORTAL_WORDS:
            if word in folded:
                raise ValidationError(
                    _("Mật khẩu không được chứa tên cổng hay từ dễ đoán như “%(word)s”.") % {"word": word},
                    code="password_portal_word",
                )
        for name in _place_names():
            if name in folded:
                raise ValidationError(
                    _("Mật khẩu không được chứa tên tỉnh, thành phố."), code="password_place_name"
                )
        for name in _user_names(user):
            if name in folded:
                raise ValidationError(
                    _("Mật khẩu không được chứa tên đăng nhập hay họ tên của bạn."), code="password_user_name"
                )

    def get_help_text(self) -> str:
        return _("Mật khẩu không chứa tên cổng, tên tỉnh hay tên của bạn.")


@functools.cache
def _breached(path: str) -> frozenset[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


class BreachedPasswordValidator:
    """Refuse a password found in the shipped list of leaked passwords (``KC_BREACHED_PASSWORDS_FILE``)."""

    def validate(self, password: str, user: Any = None) -> None:
        candidates = {password.lower(), password.strip().lower()}
        if candidates & _breached(str(settings.KC_BREACHED_PASSWORDS_FILE)):
            raise ValidationError(
                _("Mật khẩu này đã xuất hiện trong các vụ lộ lọt dữ liệu. Hãy chọn mật khẩu khác."),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu không nằm trong danh sách mật khẩu đã bị lộ.")


class ZxcvbnValidator:
    """Refuse a password that zxcvbn scores below ``min_score`` (0–4), taking the user's name and the
    portal's words as known to an attacker."""

    def __init__(self, min_score: int = 3) -> None:
        self.min_score = min_score

    def validate(self, password: str, user: Any = None) -> None:
        from zxcvbn import zxcvbn

        inputs = [*PORTAL_WORDS, *_user_names(user)]
        result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=inputs)
        if result["score"] < self.min_score:
            raise ValidationError(
                _(
                    "Mật khẩu quá dễ đoán (độ mạnh %(score)s/4, cần ít nhất %(min)s/4). Hãy dùng một cụm "
                    "nhiều từ hoặc thêm ký tự khác loại."
                )
                % {"score": result["score"], "min": self.min_score},
                code="password_weak",
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu đủ mạnh: một cụm nhiều từ là dễ nhớ mà khó đoán.")
