"""Vietnamese first: the interface language is the one the user chose (cookie), else Vietnamese.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a browser set to English
would open the portal in English; here only the explicit language switch does.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def real_client_address(get_response):
    """Behind the reverse proxy (deploy/nginx), ``REMOTE_ADDR`` is the proxy's; nginx passes the
    client's in ``X-Real-IP``. Only when the request comes from a proxy listed in
    ``KC_TRUSTED_PROXIES`` is that header believed, so a client cannot pick its own address (which
    login throttling and the API log rely on)."""
    trusted = frozenset(settings.KC_TRUSTED_PROXIES)

    def middleware(request: HttpRequest):
        real = request.headers.get("x-real-ip", "").strip()
        if real and request.META.get("REMOTE_ADDR") in trusted:
            request.META["REMOTE_ADDR"] = real
        return get_response(request)

    return middleware
