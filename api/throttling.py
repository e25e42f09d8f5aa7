"""Rate limits per API client (its own rate, set in the admin) or per user session, in the cache."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class ClientRateThrottle(SimpleRateThrottle):
    """N requests a minute per client (all its tokens together) or per logged-in user."""

    scope = "api"
    cache_format = "kc-api-throttle:%(ident)s"

    def get_rate(self) -> str:
        return f"{settings.KC_API_DEFAULT_RATE}/min"

    def allow_request(self, request: Any, view: Any) -> bool:
        if isinstance(request.auth, ApiToken):
            self.num_requests = request.auth.client.rate_per_minute
            self.duration = 60
        return super().allow_request(request, view)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"client-{request.auth.client_id}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"ident": ident}
