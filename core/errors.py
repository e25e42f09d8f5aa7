"""The one domain error every service raises: a Vietnamese message, the field it belongs to, a code.

Services never speak HTTP. A view turns a :class:`DomainError` into a form error through
:func:`core.views.apply_domain_error` (one status for invalid input, :data:`INVALID_STATUS`);
the API maps it through its exception handler. The subclasses carry what a caller must do
differently: :class:`NotFound` (outside the user's scope: a 404, so nothing leaks), :class:`Forbidden`
(the role may not do this), :class:`Conflict` (the record changed, or its state does not allow it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import NON_FIELD_ERRORS

#: The status of a refused write, for forms and the API alike.
INVALID_STATUS = 400
CONFLICT_STATUS = 409


class DomainError(Exception):
    """A refused operation. ``message`` is shown to the user; ``field`` names the input it is about.

    ``errors`` holds every message by field (``None`` for the form as a whole): a service that checks
    several fields at once passes ``DomainError({"tax_code": [...], "name": [...]})``.
    """

    default_code = "invalid"

    def __init__(
        self,
        message: str | Mapping[str | None, Sequence[str]],
        *,
        field: str | None = None,
        code: str | None = None,
    ) -> None:
        if isinstance(message, Mapping):
            self.errors: dict[str | None, list[str]] = {
                (None if k == NON_FIELD_ERRORS else k): [str(m) for m in v] for k, v in message.items()
            }
            field = field if field is not None else next(iter(self.errors), None)
        else:
            self.errors = {field: [str(message)]}
        self.field = field
        self.code = code or self.default_code
        self.message = " ".join(m for messages in self.errors.values() for m in messages)
        super().__init__(self.message)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, field={self.field!r}, code={self.code!r})"


class NotFound(DomainError):
    """The object is not in the user's scope (or does not exist): shown as a 404."""

    default_code = "not_found"


class Forbidden(DomainError):
    """The user's role may not do this: shown as a 403."""

    default_code = "forbidden"


class Conflict(DomainError):
    """The record changed since the form was built, or its state does not allow the operation."""

    default_code = "conflict"
