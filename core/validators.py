"""Plain words for the database's integer range (issue 15): "Số quá lớn." rather than "Ensure this
value is less than or equal to 2147483647"."""

from __future__ import annotations

from typing import Any

from django.core import validators
from django.db import connection, models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class TooLargeValidator(validators.MaxValueValidator):
    message = _("Số quá lớn.")


class TooSmallValidator(validators.MinValueValidator):
    message = _("Số quá nhỏ.")


class NotNegativeValidator(validators.MinValueValidator):
    message = _("Số không được âm.")


def _plain_range(original: Any) -> Any:
    def validators_(self: models.IntegerField) -> list:
        low, high = connection.ops.integer_field_range(self.get_internal_type())
        out = []
        for v in original(self):
            if type(v) is validators.MaxValueValidator and v.limit_value == high:
                v = TooLargeValidator(high)
            elif type(v) is validators.MinValueValidator and v.limit_value == low:
                v = NotNegativeValidator(low) if low == 0 else TooSmallValidator(low)
            out.append(v)
        return out

    return validators_


def install() -> None:
    """Swap the range validators Django adds to every integer model field (called once, at start-up)."""
    prop = models.IntegerField.__dict__["validators"]
    if getattr(prop.func, "kc_plain", False):
        return
    func = _plain_range(prop.func)
    func.kc_plain = True
    new = cached_property(func)
    new.__set_name__(models.IntegerField, "validators")
    # Patching the class's cached_property on purpose (Django offers no hook for these validators).
    models.IntegerField.validators = new  # type: ignore[method-assign, assignment]
