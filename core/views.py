"""The portal shell: the permission mixin every view uses, home page, health check, error pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import has_perm
from core.errors import CONFLICT_STATUS, INVALID_STATUS, Conflict, DomainError, Forbidden, NotFound

if TYPE_CHECKING:
    from accounts.models import User


def portal_user(request: HttpRequest) -> User:
    """``request.user`` past the login check, as the portal's :class:`~accounts.models.User`."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user


def raise_for_scope(exc: DomainError) -> None:
    """Turn :class:`NotFound` and :class:`Forbidden` into real 404 and 403 responses."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message)
    if isinstance(exc, Forbidden):
        raise PermissionDenied(exc.message)


def apply_domain_error(form: Any, exc: DomainError) -> int:
    """Put a service's error next to its field(s), or on top of the form, and return the status.

    :class:`NotFound` and :class:`Forbidden` become real 404 and 403 responses; a :class:`Conflict`
    answers 409; every other refusal answers :data:`core.errors.INVALID_STATUS`, like an invalid form.
    """
    raise_for_scope(exc)
    fields = getattr(form, "fields", {})
    for field, messages in exc.errors.items():
        form.add_error(field if field in fields else None, messages)
    return CONFLICT_STATUS if isinstance(exc, Conflict) else INVALID_STATUS


class PortalPermissionMixin(LoginRequiredMixin):
    """Login required, then the role permission named by ``permission_required`` (403 without it).

    Views built on a model's queryset must start from ``visible_to(request.user)`` (see
    core.scoping); ``get_queryset`` below does so for any model whose manager offers it, so a
    single-object view answers 404 for another province's object.
    """

    permission_required: str = "portal.view"
    #: Set by ``View.setup`` (the mixin is always combined with a View).
    request: HttpRequest
    kwargs: dict[str, Any]
    #: The status of a form that failed validation (the same as a refused service call).
    invalid_status: int = INVALID_STATUS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_perm(request.user, self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def user(self) -> User:
        """The signed-in user: ``dispatch`` lets no anonymous request through."""
        return portal_user(self.request)

    def require(self, permission: str, message: str = "") -> None:
        """Refuse (403) unless the user's role grants ``permission``: for a view whose permission
        depends on what the URL names (a workflow step), beyond ``permission_required``."""
        if not has_perm(self.user, permission):
            raise PermissionDenied(message)

    def get_queryset(self) -> Any:
        # The generic view this mixin is combined with defines get_queryset; the mixin's bases do not.
        queryset = super().get_queryset()  # type: ignore[misc]
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(self.user)
        raise TypeError(
            f"{type(self).__name__}: the model's queryset has no visible_to(); scope it explicitly."
        )

    def domain_error(self, form: Any, exc: DomainError) -> int:
        """Map a service's refusal onto ``form``; returns the status to render it with."""
        return apply_domain_error(form, exc)


class HomeView(PortalPermissionMixin, TemplateView):
    """The landing page: what waits for this user and the projects touched most recently."""

    permission_required = "portal.view"
    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from django.db.models import Count, Q

        from projects import workflow
        from projects.models import Project, ProjectStatus

        context = super().get_context_data(**kwargs)
        visible = Project.objects.visible_to(self.request.user)
        context["project_counts"] = visible.aggregate(
            waiting=Count("pk", filter=Q(status__in=workflow.REVIEW_STATES)),
            drafts=Count("pk", filter=Q(status=ProjectStatus.DRAFT)),
            returned=Count("pk", filter=Q(status=ProjectStatus.RETURNED)),
            running=Count("pk", filter=Q(status=ProjectStatus.IN_PROGRESS)),
            accepted=Count("pk", filter=Q(status=ProjectStatus.ACCEPTED)),
        )
        from inbox.selectors import inbox_for

        context["today"] = timezone.localdate()
        context["inbox"] = inbox_for(self.request.user, context["today"])
        context["recent_projects"] = visible.select_related("province", "category").order_by("-updated_at")[
            :8
        ]
        return context


class HealthView(View):
    """``/healthz``: 200 when the database and the broker answer, 503 otherwise (no login)."""

    def get(self, request: HttpRequest) -> JsonResponse:
        from khuyencong.celery import app

        checks: dict[str, str] = {}
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"error: {type(exc).__name__}"
        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:
            checks["broker"] = f"error: {type(exc).__name__}"
        healthy = all(v == "ok" for v in checks.values())
        return JsonResponse(
            {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
        )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
