"""Writes of the API's own tables: register a client, issue and revoke tokens, authenticate a key."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Organisation, Role, User
from core.errors import DomainError

from .models import ALL_SCOPES, ApiClient, ApiToken

TOKEN_RE = re.compile(r"^kc_([a-z0-9]{8,16})_([A-Za-z0-9_-]{20,100})$")
DEFAULT_LIFETIME = dt.timedelta(days=365)


def hash_key(key: str) -> str:
    """SHA-256 of the whole token (the secret part has 256 bits of entropy: no slow hash is needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def client_register(
    *,
    actor: User | None,
    name: str,
    organisation: Organisation,
    rate_per_minute: int = 600,
    contact: str = "",
    note: str = "",
) -> ApiClient:
    """Register another system: its service account belongs to ``organisation`` (so to its scope)."""
    name = name.strip()
    if not name:
        raise DomainError(_("Hãy nhập tên hệ thống."), field="name")
    if ApiClient.objects.filter(name=name).exists():
        raise DomainError(_("Đã có hệ thống mang tên này."), field="name")
    base = f"api-{slugify(name)[:100] or 'client'}"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    # A staff role: the services check role permissions, and a token's scopes narrow them further.
    user = User(
        username=username,
        first_name=name[:150],
        organisation=organisation,
        role=Role.STAFF,
        is_active=True,
    )
    user.set_unusable_password()
    user.save()
    return ApiClient.objects.create(
        name=name,
        organisation=organisation,
        user=user,
        rate_per_minute=rate_per_minute,
        contact=contact,
        note=note,
        created_by=actor,
    )


def client_sync_account(client: ApiClient) -> None:
    """Keep the service account in step with the client (organisation, active) after an admin edit."""
    user = client.user
    user.organisation = client.organisation
    user.is_active = client.is_active
    user.save(update_fields=["organisation", "is_active"])


@transaction.atomic
def token_issue(
    *,
    actor: User | None,
    client: ApiClient,
    scopes: Iterable[str],
    expires_at: dt.datetime | None = None,
    label: str = "",
) -> tuple[ApiToken, str]:
    """Issue a token; returns the row and the plaintext key, which is shown once and never stored."""
    wanted = sorted(set(scopes))
    unknown = [s for s in wanted if s not in ALL_SCOPES]
    if unknown or not wanted:
        raise DomainError(_("Hãy chọn quyền hợp lệ cho mã truy cập."), field="scopes")
    expires_at = expires_at or timezone.now() + DEFAULT_LIFETIME
    if expires_at <= timezone.now():
        raise DomainError(_("Ngày hết hạn phải ở tương lai."), field="expires_at")
    while True:
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    key = f"kc_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        client=client,
        label=label,
        prefix=prefix,
        key_hash=hash_key(key),
        scopes=wanted,
        expires_at=expires_at,
        created_by=actor,
    )
    return token, key


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once (idempotent)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_for_key(key: str) -> ApiToken | None:
    """The usable token whose key this is, or None (unknown, malformed, expired, revoked)."""
    match = TOKEN_RE.match(key or "")
    if not match:
        return None
    token: ApiToken | None = (
        ApiToken.objects.usable()
        .select_related("client", "client__user", "client__user__organisation")
        .filter(prefix=match.group(1))
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, hash_key(key)):
        return None
    return token


def token_touch(token: ApiToken) -> None:
    """Record use, at most once a minute (no write on every call)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
