"""Every API call is recorded (api.models.ApiCall): the client and token, or the user, and the outcome."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import transaction

from .models import ApiCall, ApiToken, Outcome

logger = logging.getLogger("api")

_OUTCOMES = {
    401: Outcome.UNAUTHENTICATED,
    403: Outcome.FORBIDDEN,
    404: Outcome.NOT_FOUND,
    409: Outcome.CONFLICT,
}


def outcome_of(status: int) -> str:
    if status < 400:
        return Outcome.OK
    if status == 429:
        return Outcome.THROTTLED
    if status >= 500:
        return Outcome.ERROR
    return _OUTCOMES.get(status, Outcome.INVALID)


def log_call(request: Any, response: Any, started: float) -> None:
    """Write one ApiCall row; a failure to log never fails the call."""
    # Read what authentication found without triggering it again (it may have raised).
    token = getattr(request, "_auth", None)
    user = getattr(request, "_user", None)
    token = token if isinstance(token, ApiToken) else None
    user = user if user is not None and getattr(user, "is_authenticated", False) else None
    django_request = getattr(request, "_request", request)
    try:
        with transaction.atomic():  # a savepoint: a failed insert leaves the caller's transaction intact
            ApiCall.objects.create(
                client_id=token.client_id if token else None,
                token=token,
                user=user,
                method=django_request.method[:10],
                path=django_request.path[:500],
                query=django_request.META.get("QUERY_STRING", "")[:1000],
                status=response.status_code,
                outcome=outcome_of(response.status_code),
                duration_ms=int((time.monotonic() - started) * 1000),
                ip=django_request.META.get("REMOTE_ADDR") or None,
            )
    except Exception:  # the log is not worth a failed call; say so in the server log
        logger.exception("API call not logged: %s %s", django_request.method, django_request.path)
