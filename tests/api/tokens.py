"""API tokens for tests (and for load tests: issue 17's soak mix can reuse ``issue_token``).

``issue_token(organisation, scopes)`` registers a client of that organisation (a province's, or the
national one) and returns ``(client, key)``; send ``HTTP_AUTHORIZATION=f"Bearer {key}"``. Outside
tests, ``manage.py api_token --client NAME --organisation ORG --scope all-read`` prints a key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from api.models import ALL_SCOPES, READ_SCOPES
from api.services import client_register, token_issue

#: Every read scope, and every read scope plus the writes another system may make.
READ = READ_SCOPES
WRITE = ALL_SCOPES


def issue_token(
    organisation: Any, scopes: Iterable[str] = READ, *, name: str = "", rate: int = 100_000
) -> tuple[Any, str]:
    """A registered client of ``organisation`` and a fresh key with ``scopes``."""
    client = client_register(
        actor=None,
        name=name or f"Hệ thống thử {organisation.name} {'-'.join(sorted(scopes))}"[:200],
        organisation=organisation,
        rate_per_minute=rate,
    )
    _token, key = token_issue(actor=None, client=client, scopes=scopes)
    return client, key


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
