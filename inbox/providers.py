"""The inbox's providers, one per kind of work. Each runs one query (a window function counts the total
beside the listed rows), so the inbox costs a fixed number of queries whatever the data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, IntegerField, Min, OuterRef, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.scoping import user_can_see_province
from projects import workflow
from projects.models import ProgressReport, Project, ProjectStatus

from .base import SECTION_LIMIT, Section, Task, provider

# --- Workflow steps waiting for someone ------------------------------------------------------------

#: Steps taken against a deadline rather than as soon as the project reaches them: the deadline
#: providers below list them (acceptance at the end date, settlement by 22 January).
DEADLINE_STEPS = frozenset({"accept", "settle"})


def next_step(status: str) -> workflow.Transition | None:
    """The step that moves a project on from ``status``: the happy path's (submission for a draft or a
    returned project), never a refusal or a stop."""
    for name in workflow.HAPPY_PATH:
        transition = workflow.TRANSITIONS[name]
        if status in transition.sources:
            return transition
    return None


def waiting_steps() -> dict[str, workflow.Transition]:
    """State → the step waiting in it, for states where work was handed on to someone (a draft is still
    being written by its author, so it is no task)."""
    steps = {}
    for status in ProjectStatus.values:
        step = next_step(status)
        if step is None or step.name in DEADLINE_STEPS or status == ProjectStatus.DRAFT:
            continue
        steps[status] = step
    return steps


def _ranked(queryset: Any, partition: Any = None) -> Any:
    """Rows numbered (and counted) per partition, so one query lists the first rows and the totals."""
    over: dict[str, Any] = {"partition_by": [partition]} if partition is not None else {}
    return queryset.annotate(
        rank=Window(RowNumber(), order_by=[F("updated_at").asc(), F("pk").asc()], **over),
        total=Window(Count("pk"), **over),
    )


def workflow_sections(user: Any, today: dt.date) -> list[Section]:
    """One section per step the user may take, e.g. “Phê duyệt — Đã thẩm định”."""
    from accounts.permissions import has_perm

    steps = {s: t for s, t in waiting_steps().items() if has_perm(user, t.permission)}
    if not steps:
        return []
    rows = (
        _ranked(
            Project.objects.visible_to(user).filter(status__in=steps).select_related("province"),
            partition=F("status"),
        )
        .filter(rank__lte=SECTION_LIMIT)
        .order_by("status", "rank")
    )
    sections: dict[str, Section] = {}
    for status, step in steps.items():
        sections[status] = Section(
            key=f"step-{step.name}-{status}",
            title=f"{step.label} — {ProjectStatus(status).label}",
            icon=step.icon,
            more_url=f"{reverse('projects:project_list')}?status={status}",
        )
    for p in rows:
        step = steps[p.status]
        section = sections[p.status]
        section.total = p.total
        section.tasks.append(
            Task(
                section=section.key,
                action=str(step.label),
                subject=p.title,
                code=p.code,
                province=p.province.short_name,
                project_id=p.pk,
                since=timezone.localdate(p.updated_at),
                url=reverse("projects:project_transition", args=[p.pk, step.name]),
            )
        )
    return [s for s in sections.values() if s.tasks]


# --- Deadlines of staff --------------------------------------------------------------------------------


def _project_tasks(section: Section, rows: list[Any], action: str, due_of: Any, url_of: Any) -> Section:
    for p in rows:
        due = due_of(p)
        section.total = p.total
        section.tasks.append(
            Task(
                section=section.key,
                action=action,
                subject=p.title,
                code=p.code,
                province=p.province.short_name,
                project_id=p.pk,
                due=due,
                url=url_of(p),
                key=f"{section.key}:{p.pk}:{due.isoformat() if due else ''}",
            )
        )
    return section


@provider("project.change")
def progress_reports(user: Any, today: dt.date) -> Section | None:
    """Projects being implemented without this month's progress report (due by the 25th)."""
    month = today.replace(day=1)
    filed = ProgressReport.objects.filter(project=OuterRef("pk"), period=month)
    rows = list(
        _ranked(
            Project.objects.visible_to(user)
            .filter(status__in=workflow.REPORTING_STATES)
            .exclude(Exists(filed))
            .select_related("province")
        ).order_by("updated_at", "pk")[:SECTION_LIMIT]
    )
    section = Section(
        key="progress", title=gettext_lazy("Báo cáo tiến độ tháng (hạn ngày 25)"), icon="graph-up-arrow"
    )
    return _project_tasks(
        section,
        rows,
        _("Báo cáo tiến độ tháng %(m)s") % {"m": today.strftime("%m/%Y")},
        lambda p: today.replace(day=25),
        lambda p: reverse("projects:progress_report_create", args=[p.pk]),
    )


#: Acceptance shows up this many days before the end date.
ACCEPTANCE_WINDOW = 60


def acceptance_due(project: Project) -> dt.date:
    """Acceptance is due at the end of the project's last year."""
    return dt.date(project.end_year, 12, 31)


@provider("project.change")
def acceptances(user: Any, today: dt.date) -> Section | None:
    """Projects being implemented whose end date is near or past: prepare the acceptance."""
    horizon = today + dt.timedelta(days=ACCEPTANCE_WINDOW)
    # Due on 31/12 of the end year: listed once that day is within the window.
    last_year = horizon.year if (horizon.month, horizon.day) == (12, 31) else horizon.year - 1
    rows = list(
        _ranked(
            Project.objects.visible_to(user)
            .filter(status__in=workflow.TRANSITIONS["accept"].sources, end_year__lte=last_year)
            .select_related("province")
        ).order_by("end_year", "pk")[:SECTION_LIMIT]
    )
    section = Section(
        key="acceptance", title=gettext_lazy("Nghiệm thu (hạn: ngày kết thúc)"), icon="check2-square"
    )
    return _project_tasks(
        section,
        rows,
        str(workflow.TRANSITIONS["accept"].label),
        acceptance_due,
        lambda p: reverse("projects:project_detail", args=[p.pk]),
    )


def _settleable(user: Any) -> Any:
    """Accepted projects awaiting settlement, with the first budget year their settlement covers."""
    return (
        Project.objects.visible_to(user)
        .filter(status__in=workflow.TRANSITIONS["settle"].sources)
        .annotate(first_year=Coalesce(Min("allocations__year"), F("end_year"), output_field=IntegerField()))
        .select_related("province")
    )


def settlement_due_of(project: Any) -> dt.date:
    from funding.services import settlement_due

    return settlement_due(project.first_year)


@provider("project.change")
def settlements(user: Any, today: dt.date) -> Section | None:
    """Accepted projects to settle by 22 January after their budget year."""
    rows = list(_ranked(_settleable(user)).order_by("first_year", "pk")[:SECTION_LIMIT])
    section = Section(
        key="settlement", title=gettext_lazy("Quyết toán (hạn ngày 22/01 năm sau)"), icon="cash-stack"
    )
    return _project_tasks(
        section,
        rows,
        str(workflow.TRANSITIONS["settle"].label),
        settlement_due_of,
        lambda p: reverse("projects:project_detail", args=[p.pk]) + "?tab=money",
    )


# --- Managers -----------------------------------------------------------------------------------------


@provider("project.review")
def overdue_settlements(user: Any, today: dt.date) -> Section | None:
    """Settlements past 22 January of the year after their budget year."""
    from funding.services import SETTLEMENT_DUE

    last_overdue_year = today.year - 1 if today > dt.date(today.year, *SETTLEMENT_DUE) else today.year - 2
    rows = list(
        _ranked(_settleable(user).filter(first_year__lte=last_overdue_year)).order_by("first_year", "pk")[
            :SECTION_LIMIT
        ]
    )
    section = Section(key="settlement-overdue", title=gettext_lazy("Quyết toán quá hạn"), icon="alarm")
    return _project_tasks(
        section,
        rows,
        str(workflow.TRANSITIONS["settle"].label),
        settlement_due_of,
        lambda p: reverse("projects:project_detail", args=[p.pk]) + "?tab=money",
    )


@provider("funding.allocate")
def allocations_to_make(user: Any, today: dt.date) -> Section | None:
    """Approved projects that have not been given any money yet (Giao kinh phí)."""
    from funding.models import Allocation

    given = Allocation.objects.filter(project=OuterRef("pk"))
    rows = list(
        _ranked(
            Project.objects.visible_to(user)
            .filter(status__in=workflow.ADJUSTABLE_STATES)
            .exclude(Exists(given))
            .select_related("province")
        ).order_by("updated_at", "pk")[:SECTION_LIMIT]
    )
    section = Section(
        key="allocation", title=gettext_lazy("Giao kinh phí cho đề án đã phê duyệt"), icon="cash-coin"
    )
    return _project_tasks(
        section,
        rows,
        _("Giao kinh phí"),
        lambda p: None,
        lambda p: reverse("funding:allocation_create", args=[p.pk]),
    )


#: An envelope is “close to its limit” once this share (per cent) of it is allocated.
ENVELOPE_ALERT_PCT = 90


@provider("funding.allocate")
def envelopes_near_limit(user: Any, today: dt.date) -> Section | None:
    """This year's and next year's envelopes with ≥ 90% allocated."""
    from funding.models import BudgetEnvelope

    rows = list(
        BudgetEnvelope.objects.visible_to(user)
        .filter(year__gte=today.year, amount__gt=0)
        .filter(allocated__gte=F("amount") * ENVELOPE_ALERT_PCT / 100)
        .select_related("province")
        .annotate(total=Window(Count("pk")))
        .order_by("year", "province__name")[:SECTION_LIMIT]
    )
    section = Section(
        key="envelope", title=gettext_lazy("Dự toán sắp hết (đã phân bổ từ 90%)"), icon="speedometer"
    )
    for e in rows:
        section.total = e.total
        share = e.allocated * 100 // e.amount
        section.tasks.append(
            Task(
                section=section.key,
                action=_("Đã phân bổ %(pct)s%% dự toán") % {"pct": share},
                subject=f"{e.get_level_display()} {e.year}",
                province=e.province.short_name,
                url=f"{reverse('funding:annual_plan')}?year={e.year}",
                key=f"envelope:{e.pk}",
            )
        )
    return section


# --- Administrators ----------------------------------------------------------------------------------


@provider("system.admin")
def locked_accounts(user: Any, today: dt.date) -> Section | None:
    """Accounts locked out by django-axes after repeated failed sign-ins (within the cool-off)."""
    from axes.models import AccessAttempt

    from accounts.models import User

    cooloff = dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME or 0)) or dt.timedelta(days=1)
    attempts = list(
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            attempt_time__gte=timezone.now() - cooloff,
        ).order_by("-attempt_time")[:200]
    )
    accounts = {
        u.username: u
        for u in User.objects.filter(username__in={a.username for a in attempts}).select_related(
            "organisation"
        )
    }
    section = Section(
        key="locked", title=gettext_lazy("Tài khoản bị khóa do đăng nhập sai nhiều lần"), icon="lock"
    )
    for a in attempts:
        account = accounts.get(a.username)
        province_id = account.province_id if account else None
        if not user_can_see_province(user, province_id):
            continue
        section.tasks.append(
            Task(
                section=section.key,
                action=_("Kiểm tra và mở khóa"),
                subject=f"{a.username} ({a.ip_address or '?'})",
                since=timezone.localdate(a.attempt_time),
                url=reverse("admin:axes_accessattempt_change", args=[a.pk]),
                key=f"locked:{a.pk}",
            )
        )
    section.total = len(section.tasks)
    section.tasks = section.tasks[:SECTION_LIMIT]
    return section


@provider("system.admin")
def reconcile_failures(user: Any, today: dt.date) -> Section | None:
    """Differences found by the latest ``manage.py reconcile`` run (issue 11), one task each, while no
    later run has passed. Administrators see the whole country's checks; a difference of a province
    outside the user's scope is left out."""
    from funding.reconcile import latest_failure

    run = latest_failure()
    if run is None:
        return None
    section = Section(
        key="reconcile",
        title=gettext_lazy("Đối soát số liệu phát hiện chênh lệch"),
        icon="exclamation-octagon",
    )
    url = reverse("admin:funding_reconcilerun_change", args=[run.pk])
    for i, difference in enumerate(run.differences):
        if difference.get("province_id") is not None and not user_can_see_province(
            user, difference["province_id"]
        ):
            continue
        section.tasks.append(
            Task(
                section=section.key,
                action=_("Kiểm tra chênh lệch %(check)s") % {"check": difference.get("check", "")},
                subject=f"{difference.get('subject', '')}: {difference.get('detail', '')}",
                since=timezone.localdate(run.started_at),
                url=url,
                key=f"reconcile:{run.pk}:{i}",
            )
        )
    if not section.tasks:
        return None
    section.total = len(section.tasks)
    section.tasks = section.tasks[:SECTION_LIMIT]
    return section
