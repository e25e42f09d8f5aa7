"""Money rules as they stood on each decision's date, the ledger's arithmetic, envelopes, known codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from core.money import format_vnd
from core.search import fold
from funding.models import STATE_SOURCES, BudgetEnvelope, EntryKind, Source
from funding.services.caps import cap_limit
from projects import workflow
from projects.choices import FundingLevel
from projects.models import ActivityCategory, Project

from ..models import ImportedEnvelope
from ..spec import (
    PROJECTS,
    Problem,
    Sheet,
)
from .plan import (
    _ENTRY_ORDER,
    CheckResult,
    ProjectPlan,
    S,
)
from .reading import _Lookups

# --- Rules of the time ----------------------------------------------------------------------------


def _breach(plan: ProjectPlan, sheet: Sheet | str, row: int, column: str, message: str) -> None:
    name = str(sheet.title) if isinstance(sheet, Sheet) else sheet
    plan.breaches.append(Problem(name, row, column, str(message), breach=True))


def _rules(plan: ProjectPlan, lookups: _Lookups, result: CheckResult) -> None:
    """The money rules as they stood on the decision date; the ledger's own arithmetic."""
    from ..spec import ALLOCATIONS, COST_PLAN, MONEY, SETTLEMENT

    f = plan.fields
    category: ActivityCategory = f["_category"]
    day: dt.date = f["decision_date"]
    status = plan.status
    total = f["total_cost"]
    projects = str(PROJECTS.title)
    # Sums by source equal the cost.
    planned_total = sum(plan.plan.values())
    if plan.plan and planned_total != total:
        _breach(
            plan,
            COST_PLAN,
            min(plan.plan_rows.values()),
            "",
            _("Tổng kế hoạch kinh phí các nguồn %(p)s khác tổng kinh phí đề án %(t)s (chênh %(d)s).")
            % {
                "p": format_vnd(planned_total),
                "t": format_vnd(total),
                "d": format_vnd(planned_total - total),
            },
        )
    elif not plan.plan and total:
        result.warnings.append(
            _("Đề án %(c)s chưa có kế hoạch kinh phí theo nguồn (trang “%(t)s”).")
            % {"c": plan.code, "t": COST_PLAN.title}
        )
    # Allocations: within the plan's line of the same source and year.
    for (source, year), allocation in plan.allocations.items():
        line = plan.plan.get((source, year))
        if plan.plan and (line or 0) < allocation.amount:
            _breach(
                plan,
                ALLOCATIONS,
                allocation.row,
                "",
                _("Kinh phí giao %(s)s năm %(y)s là %(a)s, vượt kế hoạch kinh phí nguồn này (%(p)s).")
                % {
                    "s": Source(source).label,
                    "y": year,
                    "a": format_vnd(allocation.amount),
                    "p": format_vnd(line or 0),
                },
            )
        if allocation.decision_date < day:
            _breach(
                plan,
                ALLOCATIONS,
                allocation.row,
                "",
                _("Kinh phí được giao ngày %(a)s, trước quyết định phê duyệt đề án (%(d)s).")
                % {"a": allocation.decision_date.strftime("%d/%m/%Y"), "d": day.strftime("%d/%m/%Y")},
            )
    # The cap in force on the decision date.
    rule = lookups.rule(category.pk, day)
    state_planned = sum(a for (s, _y), a in plan.plan.items() if s in STATE_SOURCES)
    state_allocated = sum(a.amount for a in plan.allocations.values())
    state_share = max(state_planned, state_allocated)
    if rule is not None and state_share:
        profile = plan.profile or {}
        eligible = profile.get("eligible_cost")
        if eligible is None:
            eligible = total
        facilities = profile.get("facilities") or max(len(plan.beneficiaries), 1)
        limit = cap_limit(
            rule,
            eligible_cost=eligible,
            facilities=facilities,
            priority_area=bool(profile.get("priority_area")),
            technology_line=bool(profile.get("technology_line")),
        )
        if state_share > limit:
            _breach(
                plan,
                projects,
                plan.row,
                "",
                _(
                    "Phần ngân sách nhà nước %(share)s vượt mức hỗ trợ tối đa %(limit)s theo “%(rule)s” "
                    "(quy định có hiệu lực ngày quyết định %(day)s)."
                )
                % {
                    "share": format_vnd(state_share),
                    "limit": format_vnd(limit),
                    "rule": rule.name,
                    "day": day.strftime("%d/%m/%Y"),
                },
            )
    # The ledger, in voucher order: its own arithmetic is an error; the lifecycle rules are breaches.
    accepted = status in workflow.reached_states(S.ACCEPTED)
    pct = category.advance_ceiling_pct
    totals = {key: {"advanced": 0, "recovered": 0, "paid": 0} for key in plan.allocations}
    settled_on = next(iter(plan.settlement.values())).decision_date if plan.settlement else None
    plan.entries.sort(key=lambda e: (e.voucher_date, _ENTRY_ORDER[e.kind], e.row))
    vouchers: dict[tuple[str, int, str], int] = {}
    for entry in plan.entries:
        key = (entry.source, entry.year)
        allocation = plan.allocations[key]
        t = totals[key]
        voucher_key = (entry.source, entry.year, fold(entry.voucher_number))
        if voucher_key in vouchers:
            result.error(
                MONEY,
                entry.row,
                str(MONEY.column("voucher_number").label),
                _("Số chứng từ “%(v)s” trùng với dòng %(r)s trên cùng kinh phí giao.")
                % {"v": entry.voucher_number, "r": vouchers[voucher_key]},
            )
            continue
        vouchers[voucher_key] = entry.row
        if entry.kind == EntryKind.RECOVERY:
            if entry.amount > t["advanced"] - t["recovered"]:
                result.error(
                    MONEY,
                    entry.row,
                    str(MONEY.column("amount").label),
                    _("Thu hồi %(a)s vượt số tạm ứng chưa thu hồi (%(l)s) tại ngày %(d)s.")
                    % {
                        "a": format_vnd(entry.amount),
                        "l": format_vnd(t["advanced"] - t["recovered"]),
                        "d": entry.voucher_date.strftime("%d/%m/%Y"),
                    },
                )
                continue
            t["recovered"] += entry.amount
        else:
            disbursed = t["advanced"] - t["recovered"] + t["paid"]
            if disbursed + entry.amount > allocation.amount:
                result.error(
                    MONEY,
                    entry.row,
                    str(MONEY.column("amount").label),
                    _(
                        "Số đã chi vượt kinh phí giao %(s)s năm %(y)s (%(a)s): sổ kinh phí không thể ghi "
                        "số chi lớn hơn kinh phí giao, kể cả hồ sơ lịch sử."
                    )
                    % {"s": Source(entry.source).label, "y": entry.year, "a": format_vnd(allocation.amount)},
                )
                continue
            t["advanced" if entry.kind == EntryKind.ADVANCE else "paid"] += entry.amount
        where = (MONEY, entry.row, str(MONEY.column("amount").label))
        if entry.voucher_date < day:
            _breach(
                plan,
                *where,
                _("Chứng từ ngày %(d)s, trước quyết định phê duyệt.")
                % {"d": entry.voucher_date.strftime("%d/%m/%Y")},
            )
        if settled_on and entry.voucher_date > settled_on:
            _breach(
                plan,
                *where,
                _("Chứng từ ngày %(d)s, sau khi đã quyết toán.")
                % {"d": entry.voucher_date.strftime("%d/%m/%Y")},
            )
        if entry.kind == EntryKind.ADVANCE:
            if status not in workflow.reached_states(S.CONTRACTED) and status != S.STOPPED:
                _breach(plan, *where, _("Tạm ứng khi đề án chưa ký hợp đồng."))
            elif plan.contract_date and entry.voucher_date < plan.contract_date:
                _breach(
                    plan,
                    *where,
                    _("Tạm ứng trước ngày ký hợp đồng (%(d)s).")
                    % {"d": plan.contract_date.strftime("%d/%m/%Y")},
                )
            if t["advanced"] > allocation.amount * pct // 100:
                _breach(
                    plan,
                    *where,
                    _("Tạm ứng lũy kế %(a)s vượt mức tối đa %(p)s%% kinh phí giao (%(l)s).")
                    % {
                        "a": format_vnd(t["advanced"]),
                        "p": pct,
                        "l": format_vnd(allocation.amount * pct // 100),
                    },
                )
        elif entry.kind == EntryKind.PAYMENT:
            before_acceptance = not accepted or (
                plan.acceptance_date and entry.voucher_date < plan.acceptance_date
            )
            disbursed = t["advanced"] - t["recovered"] + t["paid"]
            if before_acceptance and disbursed > allocation.amount * pct // 100:
                _breach(
                    plan,
                    *where,
                    _(
                        "Trước nghiệm thu, tạm ứng và thanh toán (%(a)s) vượt mức %(p)s%% kinh phí "
                        "giao (%(l)s)."
                    )
                    % {"a": format_vnd(disbursed), "p": pct, "l": format_vnd(allocation.amount * pct // 100)},
                )
    plan.fields["_totals"] = totals
    # Settlement: only after acceptance, and a settled project has one.
    if plan.settlement and status not in workflow.SETTLEABLE_STATES:
        row = next(iter(plan.settlement.values())).row
        result.error(
            SETTLEMENT,
            row,
            "",
            _(
                "Đề án %(c)s ở trạng thái “%(s)s”: chỉ đề án đã nghiệm thu hoặc đã quyết toán mới có "
                "quyết toán."
            )
            % {"c": plan.code, "s": S(status).label},
        )
    if status == S.SETTLED and not plan.settlement:
        result.error(
            projects,
            plan.row,
            str(PROJECTS.label("status")),
            _("Đề án đã quyết toán cần các dòng quyết toán theo nguồn ở trang “%(t)s”.")
            % {"t": SETTLEMENT.title},
        )
    for source, settled in plan.settlement.items():
        if source in STATE_SOURCES:
            disbursed = sum(
                t["advanced"] - t["recovered"] + t["paid"] for (s, _y), t in totals.items() if s == source
            )
            if settled.actual > disbursed:
                result.error(
                    SETTLEMENT,
                    settled.row,
                    str(SETTLEMENT.label("actual")),
                    _("Quyết toán %(a)s lớn hơn số đã chi nguồn này (%(d)s).")
                    % {"a": format_vnd(settled.actual), "d": format_vnd(disbursed)},
                )
    if status == S.STOPPED and plan.acceptance_date:
        result.error(
            projects,
            plan.row,
            str(PROJECTS.label("acceptance_date")),
            _("Đề án đã ngừng không có ngày nghiệm thu."),
        )


def _envelopes(result: CheckResult, province_id: int) -> None:
    """The budget envelope of each year and level must hold the allocations (created when missing)."""
    from ..spec import ALLOCATIONS

    need: dict[tuple[int, str], int] = {}
    existing_ids = [p.existing_id for p in result.projects.values() if p.existing_id]
    previous: dict[tuple[int, str, int], int] = {}
    if existing_ids:
        from funding.models import Allocation

        for project_id, source, year, amount in Allocation.objects.filter(
            project_id__in=existing_ids
        ).values_list("project_id", "source", "year", "amount"):
            previous[(project_id, source, year)] = amount
    for plan in result.projects.values():
        for (source, year), allocation in plan.allocations.items():
            before = previous.get((plan.existing_id, source, year), 0) if plan.existing_id else 0
            need[(year, source)] = need.get((year, source), 0) + allocation.amount - before
    if not need:
        return
    envelopes = {
        (e.year, e.level): e
        for e in BudgetEnvelope.objects.filter(province_id=province_id, year__in={y for y, _l in need})
    }
    imported = set(
        ImportedEnvelope.objects.filter(envelope__in=[e.pk for e in envelopes.values()]).values_list(
            "envelope_id", flat=True
        )
    )
    for (year, level), increase in sorted(need.items()):
        envelope = envelopes.get((year, level))
        if envelope is None or envelope.pk in imported or increase <= envelope.available:
            result.envelopes[(year, level)] = increase
            continue
        result.error(
            ALLOCATIONS,
            0,
            "",
            _(
                "Dự toán %(l)s năm %(y)s của tỉnh còn %(a)s, không đủ cho %(n)s kinh phí giao trong tệp; "
                "lãnh đạo cần điều chỉnh dự toán trước."
            )
            % {
                "l": FundingLevel(level).label,
                "y": year,
                "a": format_vnd(envelope.available),
                "n": format_vnd(increase),
            },
        )


def _match_existing(result: CheckResult, province_id: int) -> None:
    from ..spec import MONEY

    codes = list(result.projects)
    existing = {}
    for start in range(0, len(codes), 5000):
        for project in Project.objects.filter(code__in=codes[start : start + 5000]).select_related(
            "import_record"
        ):
            existing[project.code] = project
    if not existing:
        return
    from funding.models import MoneyEntry

    for code, project in existing.items():
        plan = result.projects[code]
        if project.province_id != province_id:
            result.error(
                PROJECTS, plan.row, str(PROJECTS.label("code")), _("Mã đề án đã thuộc tỉnh/thành phố khác.")
            )
            continue
        if not hasattr(project, "import_record"):
            result.error(
                PROJECTS,
                plan.row,
                str(PROJECTS.label("code")),
                _("Mã đề án đã có trên hệ thống (lập trực tiếp, không phải dữ liệu cũ); không ghi đè được."),
            )
            continue
        plan.existing_id = project.pk
    ids = [p.existing_id for p in result.projects.values() if p.existing_id]
    if not ids:
        return
    # The ledger only grows: entries already written must appear again unchanged.
    recorded: dict[int, set[tuple[Any, ...]]] = {}
    for row in MoneyEntry.objects.filter(allocation__project_id__in=ids, reverses__isnull=True).values_list(
        "allocation__project_id",
        "allocation__source",
        "allocation__year",
        "kind",
        "amount",
        "voucher_number",
        "voucher_date",
    ):
        recorded.setdefault(row[0], set()).add(tuple(row[1:]))
    for plan in result.projects.values():
        if not plan.existing_id:
            continue
        before = recorded.get(plan.existing_id, set())
        in_file = {
            (e.source, e.year, e.kind, e.amount, e.voucher_number, e.voucher_date) for e in plan.entries
        }
        missing = before - in_file
        if missing:
            sample = sorted(missing, key=lambda m: m[5])[0]
            result.error(
                MONEY,
                0,
                "",
                _(
                    "Đề án %(c)s: %(n)s bút toán đã nhập lần trước không còn trong tệp (ví dụ chứng "
                    "từ %(v)s). "
                    "Sổ kinh phí chỉ ghi thêm; hãy giữ nguyên các dòng đã nhập, hoặc đảo bút toán "
                    "trên trang kinh phí."
                )
                % {"c": plan.code, "n": len(missing), "v": sample[4]},
            )
        plan.fields["_recorded"] = before
