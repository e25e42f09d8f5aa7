"""Demo money for ``manage.py seed_demo``: envelopes of Phú Thọ and Hà Nội, and for every decided demo
project a cost plan by source, its allocation from the approval decision, and the advances, payments
and settlement its status implies. Idempotent: what exists is left alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from core.errors import DomainError
from projects.models import Project
from projects.workflow import DECIDED_STATES
from regions.models import Province

from . import services
from .models import Allocation, BudgetEnvelope, CostPlanLine, MoneyEntry, Settlement

ENVELOPES = {
    # province name: {(year, level): amount}
    "Tỉnh Phú Thọ": {
        (2025, "kcqg"): 1_800_000_000,
        (2025, "kcdp"): 3_200_000_000,
        (2026, "kcqg"): 2_000_000_000,
        (2026, "kcdp"): 3_500_000_000,
    },
    "Thành phố Hà Nội": {(2026, "kcqg"): 1_500_000_000, (2026, "kcdp"): 5_000_000_000},
}
IN_MONEY = DECIDED_STATES
MILLION = 1_000_000


def _user(context: dict[str, Any], *names: str) -> Any:
    users = context.get("users", {})
    for name in names:
        if name in users:
            return users[name]
    from accounts.models import User

    return User.objects.filter(Q(username__in=names) | Q(is_superuser=True)).order_by("-is_superuser").first()


def _envelope(province: Province, year: int, level: str, user: Any, needed: int) -> BudgetEnvelope:
    env = BudgetEnvelope.objects.filter(province=province, year=year, level=level).first()
    if env is None:
        amount = ENVELOPES.get(province.name, {}).get((year, level)) or max(2_000_000_000, needed)
        env = services.envelope_create(
            user=user,
            province_id=province.pk,
            year=year,
            level=level,
            amount=amount,
            decision_number=f"{year - 2000:02d}/QĐ-UBND",
            decision_date=dt.date(year - 1, 12, 15),
        )
    return env


def _state_share(project: Project) -> int:
    """Half the cost, within the cap rule, rounded down to a million."""
    share = project.total_cost // 2
    limit = services.cap_check(project, state_share=0).limit
    if limit is not None:
        share = min(share, limit)
    return share // MILLION * MILLION


def _seed_project(project: Project, manager: Any, staff: Any) -> list[str]:
    done: list[str] = []
    share = _state_share(project)
    if share <= 0:
        return done
    year = project.start_year
    if not CostPlanLine.objects.filter(project=project).exists():
        services.cost_plan_save(
            user=staff,
            project=project,
            rows={year: {project.funding_level: share, "counterpart": None}},
            eligible_cost=None,
            facilities=max(project.beneficiaries.count(), 1),
            priority_area="Hòa Bình" in (project.title or "") or "Mai Châu" in (project.title or ""),
            technology_line=False,
            expected_version=None,
        )
        done.append("plan")
    allocation = Allocation.objects.filter(project=project).first()
    if allocation is None:
        env = _envelope(project.province, year, project.funding_level, manager, share)
        if env.available < share:
            return done
        allocation = services.allocation_create(
            user=manager,
            project=project,
            source=project.funding_level,
            year=year,
            amount=share,
            decision_number=project.decision_number or "QĐ",
            decision_date=project.decision_date or dt.date(year, 3, 1),
        )
        done.append("allocation")
    if MoneyEntry.objects.filter(allocation=allocation).exists() or project.status == "approved":
        return done
    base = project.decision_date or dt.date(year, 3, 1)
    advance = services.advance_limit(allocation, project.category) // MILLION * MILLION
    if advance:
        services.advance_record(
            user=staff,
            allocation=allocation,
            amount=advance,
            voucher_number=f"TU-{project.pk:04d}",
            voucher_date=base + dt.timedelta(days=20),
            note="Tạm ứng theo hợp đồng",
        )
    if project.status in ("accepted", "settled"):
        if advance:
            services.recovery_record(
                user=staff,
                allocation=allocation,
                amount=advance,
                voucher_number=f"THU-{project.pk:04d}",
                voucher_date=base + dt.timedelta(days=150),
                note="Thu hồi tạm ứng khi thanh toán",
            )
        paid = allocation.amount - allocation.amount // 20  # 5 % left unspent
        services.payment_record(
            user=staff,
            allocation=allocation,
            amount=paid,
            voucher_number=f"TT-{project.pk:04d}",
            voucher_date=base + dt.timedelta(days=150),
            note="Thanh toán sau nghiệm thu",
        )
        if not Settlement.objects.filter(project=project).exists():
            services.settlement_record(
                user=staff,
                project=project,
                year=year,
                decision_number=f"QT-{project.pk:04d}",
                decision_date=base + dt.timedelta(days=200),
                actual={"counterpart": project.total_cost - share},
            )
    done.append("entries")
    return done


def seed(context: dict[str, Any]) -> None:
    """Envelopes, then money for each decided demo project (idempotent)."""
    out = context.get("stdout")
    manager = _user(context, "ld.phutho", "quantri")
    for name, envelopes in ENVELOPES.items():
        province = Province.objects.filter(name=name).first()
        if province is None:
            continue
        for (year, level), _amount in envelopes.items():
            _envelope(province, year, level, manager, 0)
    counts = {"projects": 0}
    projects = (
        Project.objects.filter(status__in=IN_MONEY).select_related("category", "province").order_by("pk")
    )
    for project in projects:
        prefix = "hanoi" if project.province.name == "Thành phố Hà Nội" else "phutho"
        staff = _user(context, f"cv.{prefix}", "quantri")
        manager = _user(context, f"ld.{prefix}", "quantri")
        settled = project.status == "settled"
        try:
            if settled:
                # Demo history: the money was recorded before the project was marked settled.
                Project.objects.filter(pk=project.pk).update(status="accepted")
                project.status = "accepted"
            if _seed_project(project, manager, staff):
                counts["projects"] += 1
        except DomainError as exc:
            if out:
                out.write(f"  funding: {project.code} bỏ qua ({exc.message})\n")
        finally:
            if settled:
                Project.objects.filter(pk=project.pk).update(status="settled")
    if out:
        out.write(f"  funding: kinh phí cho {counts['projects']} đề án\n")
