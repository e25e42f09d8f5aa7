"""The portal shell: the permission mixin every view uses, home page, health check, error pages."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.template import loader
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
    """``/healthz``: 200 ``{"status": "ok"}`` when the database and the broker answer, else 503
    ``{"status": "error"}``, within ``KC_HEALTH_TIMEOUT`` seconds. No login, so nothing more is told:
    which dependency failed and why goes to the log (core.health)."""

    def get(self, request: HttpRequest) -> JsonResponse:
        from core.health import run_checks

        healthy = all(run_checks().values())
        response = JsonResponse({"status": "ok" if healthy else "error"}, status=200 if healthy else 503)
        response["Cache-Control"] = "no-store"
        return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or the 503 page when the cause is the database being unreachable.

    Rendered from a plain template with no context processors and no user, so it needs no database:
    an error page that queried the failing database would itself fail.
    """
    from core.security import DATABASE_DOWN, outage_response

    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return outage_response()
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal, in Vietnamese (the reason is logged by Django, not shown)."""
    html = loader.get_template("403_csrf.html").render({})
    return HttpResponse(html, status=403)
