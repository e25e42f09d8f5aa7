"""What every API route shares: the resource it belongs to (for token scopes and role permissions),
errors always in JSON, the call log, and CSV/XLSX exports of list endpoints."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.http import HttpResponseBase
from rest_framework import generics, mixins
from rest_framework.exceptions import NotAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from core.db import ReplicaReadMixin, primary

from ..exports import export_response
from ..logging import log_call
from ..renderers import CSVRenderer, XLSXRenderer

if TYPE_CHECKING:
    from accounts.models import User

FILE_FORMATS = ("csv", "xlsx")


class ApiView(ReplicaReadMixin, generics.GenericAPIView):
    """Base of every route: ``resource`` names the token scope; ``read_permission`` and
    ``write_permission`` the role permissions a logged-in user needs (accounts.permissions)."""

    resource: str = ""
    read_permission: str = "portal.view"
    write_permission: str | None = None

    @property
    def user(self) -> User:
        """The caller: a signed-in user or a token's service account (the permission class checks
        authentication before any handler runs)."""
        user = self.request.user
        if not user.is_authenticated:
            if getattr(self, "swagger_fake_view", False):
                # drf-spectacular reads the schema (also in `check --deploy`) with no caller: querysets
                # scoped to an anonymous user are empty, which is all it needs.
                return user  # type: ignore[return-value]
            raise NotAuthenticated
        return user

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        started = time.monotonic()
        response = super().dispatch(request, *args, **kwargs)
        log_call(self.request, response, started)
        return response

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Tokens, throttles and permissions are read from the primary: a revoked token is refused at once.
        with primary():
            super().initial(request, *args, **kwargs)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        # A refusal is JSON even when a file was asked for (a spreadsheet cannot carry the error shape).
        renderer = getattr(request, "accepted_renderer", None)
        if (
            isinstance(response, Response)
            and response.status_code >= 400
            and isinstance(renderer, CSVRenderer | XLSXRenderer)
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class ApiListView(mixins.ListModelMixin, ApiView):
    """A list with the web list's filters, cursor pagination, and ``?format=csv|xlsx`` for the whole
    filtered list as a file."""

    renderer_classes = [JSONRenderer, CSVRenderer, XLSXRenderer]
    export_name = "du-lieu"

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return self.list(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        fmt = getattr(request.accepted_renderer, "format", "json")
        if fmt in FILE_FORMATS:
            queryset = self.filter_queryset(self.get_queryset())
            return export_response(
                fmt, self.export_name, queryset, self.get_serializer_class(), self.get_serializer_context()
            )
        return super().list(request, *args, **kwargs)


class ApiDetailView(mixins.RetrieveModelMixin, ApiView):
    """One object, looked up in the caller's scope (another province's object is a 404)."""

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        return self.retrieve(request, *args, **kwargs)
