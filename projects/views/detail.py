"""The project page: header, step bar, double-funding warning and one tab at a time."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from accounts.permissions import has_perm

from .. import services, workflow
from ..forms import (
    AcknowledgeForm,
    BeneficiaryForm,
    DocumentForm,
)
from ..history import project_history
from ..models import (
    Project,
    ProjectBeneficiary,
    ProjectStatus,
    ProjectTransition,
)
from ..permissions import project_actions
from .base import TABS, ProjectObjectMixin

# --- Detail ---------------------------------------------------------------------------------------


class ProjectDetailView(ProjectObjectMixin, View):
    permission_required = "project.view"
    template_name = "projects/project_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_project()
        tab = request.GET.get("tab", "summary")
        if tab not in {t[0] for t in TABS}:
            tab = "summary"
        user = self.user
        actions = project_actions(user, project)
        context: dict[str, Any] = {
            "project": project,
            "tab": tab,
            "tabs": TABS,
            "actions": actions,
            "transitions": actions.transitions,
            "can_edit": actions.edit,
            "can_adjust": actions.adjust,
            "can_review": actions.review,
            **_actions(project, user, actions.transitions),
            "conflicts": _visible_conflicts(services.double_funding_conflicts(project), user),
            "steps": _step_bar(project.status),
        }
        if tab == "summary":
            context.update(
                communes=list(project.communes.all()),
                extra_categories=list(project.extra_categories.all()),
                log=list(
                    ProjectTransition.objects.filter(project=project)
                    .select_related("actor", "document")
                    .order_by("-at", "-id")[:30]
                ),
                versions=list(project.versions.select_related("created_by", "document").order_by("-number")),
                progress=list(project.progress_reports.select_related("reported_by")[:24]),
                can_report=actions.report_progress,
                ack_form=AcknowledgeForm(),
            )
        elif tab == "beneficiaries":
            context.update(
                beneficiaries=list(
                    ProjectBeneficiary.objects.filter(project=project).select_related(
                        "facility", "facility__commune"
                    )
                ),
                can_change_beneficiaries=actions.change_beneficiaries,
                beneficiary_form=BeneficiaryForm(user=user),
            )
        elif tab == "money":
            from funding.selectors import project_money

            context["money"] = project_money(project, user)
        elif tab == "indicators":
            context["indicators"] = list(project.indicators.all().order_by("kind"))
        elif tab == "documents":
            context.update(
                documents=list(project.documents.select_related("uploaded_by", "signature")),
                document_form=DocumentForm(),
                can_upload=actions.upload_documents,
            )
        elif tab == "history":
            context["history"] = project_history(project)
        return render(request, self.template_name, context)


def _actions(project: Project, user: Any, available: Any) -> dict[str, Any]:
    """The page's buttons: the user's next step is the one primary button; a refusal or a stop stays
    reachable but, once the project is decided, in the “more” menu rather than beside the next step;
    “Giao kinh phí” shows for those who allocate while money can still be given."""
    from inbox.providers import next_step
    from papers.services import available_papers

    available = list(available)
    step = next_step(project.status)
    primary = step if step in available else None
    others = [t for t in available if t is not primary]
    decided = project.is_decided
    allocate = has_perm(user, "funding.allocate") and project.status in workflow.ADJUSTABLE_STATES
    allocate_first = allocate and primary is None and not project.allocations.exists()
    return {
        "transitions": available,
        "primary_step": primary,
        "secondary_steps": [t for t in others if not (decided and t.button == "danger")],
        "more_steps": [t for t in others if decided and t.button == "danger"],
        "can_allocate": allocate,
        "papers": available_papers(project),
        "allocate_is_primary": allocate_first,
    }


def _visible_conflicts(conflicts: list[dict[str, Any]], user: Any) -> list[dict[str, Any]]:
    """The double-funding warning names only projects in the user's scope; another province's project
    (a facility moved between provinces keeps its old links) stays in the warning, unnamed."""
    ids = {c["project"].pk for c in conflicts}
    visible = set(Project.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [c if c["project"].pk in visible else {**c, "project": None} for c in conflicts]


def _step_bar(status: str) -> list[dict[str, Any]]:
    order = [ProjectStatus.DRAFT, *[workflow.TRANSITIONS[a].target for a in workflow.HAPPY_PATH]]
    position = order.index(status) if status in order else None
    if status == ProjectStatus.RETURNED:
        position = 0
    bar = []
    for i, state in enumerate(order):
        bar.append(
            {
                "label": ProjectStatus(state).label,
                "done": position is not None and i < position,
                "current": i == position,
            }
        )
    return bar
