"""Every write to money goes through here.

Each service is keyword-only, takes the acting user, runs in ``transaction.atomic``, locks the
parent row (envelope or allocation) with ``select_for_update`` before reading a total, checks the
optimistic ``version`` a form was built from, raises :class:`FundingError` with a Vietnamese
message, and runs inside a ``pghistory.context`` so the audit rows name the user and the action.
The database CHECK constraints on the maintained totals are the last line behind these checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pghistory
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import format_vnd
from projects.models import ActivityCategory, Project

from .models import (
    STATE_SOURCES,
    Allocation,
    AllocationVersion,
    BudgetEnvelope,
    CostPlanLine,
    EntryKind,
    FundingLevel,
    FundingProfile,
    MoneyEntry,
    Settlement,
    SettlementLine,
    Source,
    SupportCapRule,
)

#: Project states in which money may move (approved, up to and including acceptance).
PAYABLE_STATUSES = ("approved", "contracted", "in_progress", "accepted")
#: Project states after which a settlement may be recorded (the projects app's "settle" transition
#: moves the status; the money settlement may be recorded before or after it).
SETTLEABLE_STATUSES = ("accepted", "settled")
#: Settlement of year Y is due on 22 January of Y + 1; warn this many days before.
SETTLEMENT_DUE = (1, 22)
SETTLEMENT_WARNING_DAYS = 30


class FundingError(Exception):
    """A refused money operation; ``message`` is Vietnamese and ``field`` names the form field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class StaleError(FundingError):
    """The form was built from an older version of the row."""


@contextmanager
def _audited(user: Any, action: str, **extra: Any) -> Iterator[None]:
    with (
        transaction.atomic(),
        pghistory.context(user=user.pk, username=user.username, action=action, **extra),
    ):
        yield


def _check_version(current: int, expected: int | None) -> None:
    if expected is not None and int(expected) != current:
        raise StaleError(
            _("Dữ liệu đã được người khác thay đổi sau khi bạn mở biểu mẫu. Hãy tải lại trang và nhập lại.")
        )


def _positive(amount: Any, field: str = "amount") -> int:
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise FundingError(_("Số tiền không hợp lệ."), field=field)
    if amount <= 0:
        raise FundingError(_("Số tiền phải lớn hơn 0."), field=field)
    return amount


# --- Support caps ------------------------------------------------------------------------------------
def rule_in_force(category: ActivityCategory | int, day: dt.date) -> SupportCapRule | None:
    """The cap rule of ``category`` in force on ``day`` (the latest one that started by then)."""
    category_id = category if isinstance(category, int) else category.pk
    return (
        SupportCapRule.objects.filter(category_id=category_id, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from", "-pk")
        .first()
    )


def cap_limit(
    rule: SupportCapRule,
    *,
    eligible_cost: int,
    facilities: int = 1,
    priority_area: bool = False,
    technology_line: bool = False,
) -> int:
    """Most state money the rule allows: min(share × eligible cost, ceiling × facilities × multipliers).

    The multipliers (priority area, whole technology line) raise the absolute ceiling, not the share.
    """
    limit = eligible_cost * rule.share_permille // 1000
    if rule.ceiling_per_facility is not None:
        ceiling = rule.ceiling_per_facility * max(facilities, 1)
        if priority_area:
            ceiling = ceiling * rule.priority_multiplier_pct // 100
        if technology_line:
            ceiling = ceiling * rule.line_multiplier_pct // 100
        limit = min(limit, ceiling)
    return limit


@dataclass(frozen=True)
class CapCheck:
    rule: SupportCapRule | None
    day: dt.date
    state_share: int
    limit: int | None

    @property
    def over(self) -> int:
        return 0 if self.limit is None else max(self.state_share - self.limit, 0)

    @property
    def ok(self) -> bool:
        return self.over == 0

    @property
    def message(self) -> str:
        if self.rule is None:
            return _("Chưa có quy định mức hỗ trợ áp dụng ngày %(day)s cho nội dung này.") % {
                "day": self.day.strftime("%d/%m/%Y")
            }
        if self.ok:
            return _("Trong mức hỗ trợ tối đa theo “%(rule)s” (%(limit)s).") % {
                "rule": self.rule.name,
                "limit": format_vnd(self.limit),
            }
        return _(
            "Phần ngân sách nhà nước hỗ trợ %(share)s vượt mức tối đa %(limit)s theo “%(rule)s” là %(over)s."
        ) % {
            "share": format_vnd(self.state_share),
            "limit": format_vnd(self.limit),
            "rule": self.rule.name,
            "over": format_vnd(self.over),
        }


def _profile(project: Project) -> FundingProfile | None:
    try:
        return project.funding_profile  # type: ignore[attr-defined]
    except FundingProfile.DoesNotExist:
        return None


def cap_check(
    project: Project,
    *,
    state_share: int | None = None,
    profile: FundingProfile | None = None,
    rule: SupportCapRule | bool | None = False,
) -> CapCheck:
    """Check the state share (KCQG + KCĐP) of ``project`` against the rule in force on its approval date.

    ``state_share`` defaults to the larger of the planned state share and the allocated amounts.
    """
    day = project.decision_date or timezone.localdate()
    if rule is False:
        rule = rule_in_force(project.category_id, day)
    profile = profile if profile is not None else _profile(project)
    if state_share is None:
        planned = (
            CostPlanLine.objects.filter(project=project, source__in=STATE_SOURCES).aggregate(s=Sum("amount"))[
                "s"
            ]
            or 0
        )
        allocated = Allocation.objects.filter(project=project).aggregate(s=Sum("amount"))["s"] or 0
        state_share = max(planned, allocated)
    if rule is None:
        return CapCheck(rule=None, day=day, state_share=state_share, limit=None)
    eligible = project.total_cost
    if profile is not None and profile.eligible_cost is not None:
        eligible = profile.eligible_cost
    facilities = profile.facilities if profile else max(project.beneficiaries.count(), 1)  # type: ignore[attr-defined]
    limit = cap_limit(
        rule,  # type: ignore[arg-type]
        eligible_cost=eligible,
        facilities=facilities,
        priority_area=bool(profile and profile.priority_area),
        technology_line=bool(profile and profile.technology_line),
    )
    return CapCheck(rule=rule, day=day, state_share=state_share, limit=limit)  # type: ignore[arg-type]


# --- Envelopes ----------------------------------------------------------------------------------------
def envelope_create(
    *,
    user: Any,
    province_id: int,
    year: int,
    level: str,
    amount: int,
    decision_number: str = "",
    decision_date: dt.date | None = None,
) -> BudgetEnvelope:
    """Record a province's budget envelope for a year and funding level."""
    _positive(amount)
    if level not in FundingLevel.values:
        raise FundingError(_("Cấp kinh phí không hợp lệ."), field="level")
    with _audited(user, "envelope_create"):
        if BudgetEnvelope.objects.filter(province_id=province_id, year=year, level=level).exists():
            raise FundingError(_("Tỉnh đã có dự toán cho năm và cấp kinh phí này."), field="year")
        return BudgetEnvelope.objects.create(
            province_id=province_id,
            year=year,
            level=level,
            amount=amount,
            decision_number=decision_number,
            decision_date=decision_date,
            created_by=user,
        )


def envelope_update(
    *,
    user: Any,
    envelope: BudgetEnvelope,
    amount: int,
    decision_number: str,
    decision_date: dt.date | None,
    expected_version: int | None,
) -> BudgetEnvelope:
    """Change an envelope's amount; never below what is already allocated."""
    _positive(amount)
    with _audited(user, "envelope_update", envelope=envelope.pk):
        locked = BudgetEnvelope.objects.select_for_update().get(pk=envelope.pk)
        _check_version(locked.version, expected_version)
        if amount < locked.allocated:
            raise FundingError(
                _("Dự toán không được nhỏ hơn số đã phân bổ cho các đề án (%(allocated)s).")
                % {"allocated": format_vnd(locked.allocated)},
                field="amount",
            )
        locked.amount = amount
        locked.decision_number = decision_number
        locked.decision_date = decision_date
        locked.version += 1
        locked.save()
        return locked


# --- Planned cost ---------------------------------------------------------------------------------------
def cost_plan_save(
    *,
    user: Any,
    project: Project,
    rows: Mapping[int, Mapping[str, int | None]],
    eligible_cost: int | None,
    facilities: int,
    priority_area: bool,
    technology_line: bool,
    expected_version: int | None,
) -> list[CostPlanLine]:
    """Replace the project's planned cost by source and year.

    ``rows`` maps a year to amounts by source; a counterpart left blank (None) takes the rest of the
    total cost, so the sources always add up to ``project.total_cost``.
    """
    for year, amounts in rows.items():
        if not project.start_year <= year <= project.end_year:
            raise FundingError(_("Năm %(year)s nằm ngoài thời gian thực hiện đề án.") % {"year": year})
        for source, value in amounts.items():
            if value is not None and (not isinstance(value, int) or value < 0):
                raise FundingError(_("Số tiền không được âm."), field=f"{source}_{year}")
    with _audited(user, "cost_plan_save", project=project.pk):
        locked = Project.objects.select_for_update().get(pk=project.pk)
        profile, _created = FundingProfile.objects.select_for_update().get_or_create(project=locked)
        if not _created:
            _check_version(profile.version, expected_version)
        explicit = sum(v or 0 for amounts in rows.values() for v in amounts.values())
        rest = locked.total_cost - explicit
        blank_counterpart = [y for y in sorted(rows) if rows[y].get(Source.COUNTERPART) is None]
        if rest < 0:
            raise FundingError(
                _("Các nguồn cộng lại (%(sum)s) vượt tổng kinh phí của đề án (%(total)s) là %(over)s.")
                % {
                    "sum": format_vnd(explicit),
                    "total": format_vnd(locked.total_cost),
                    "over": format_vnd(-rest),
                }
            )
        if rest > 0 and not blank_counterpart:
            raise FundingError(
                _(
                    "Các nguồn cộng lại (%(sum)s) phải bằng tổng kinh phí của đề án (%(total)s); "
                    "còn thiếu %(rest)s — để trống vốn đối ứng để tự tính phần còn lại."
                )
                % {
                    "sum": format_vnd(explicit),
                    "total": format_vnd(locked.total_cost),
                    "rest": format_vnd(rest),
                }
            )
        profile.eligible_cost = eligible_cost
        profile.facilities = facilities
        profile.priority_area = priority_area
        profile.technology_line = technology_line
        profile.version += 0 if _created else 1
        profile.save()
        state = sum(rows[y].get(s) or 0 for y in rows for s in STATE_SOURCES)
        check = cap_check(locked, state_share=state, profile=profile)
        if not check.ok:
            raise FundingError(check.message)
        CostPlanLine.objects.filter(project=locked).delete()
        lines = []
        for year in sorted(rows):
            for source in Source.values:
                value = rows[year].get(source)
                if source == Source.COUNTERPART and value is None:
                    value = rest if year == blank_counterpart[0] else 0
                if value:
                    lines.append(CostPlanLine(project=locked, source=source, year=year, amount=value))
        return CostPlanLine.objects.bulk_create(lines)


# --- Allocations ------------------------------------------------------------------------------------------
def _require_decided(project: Project) -> None:
    if project.status == "settled":
        raise FundingError(_("Đề án đã quyết toán: không thể giao thêm hoặc chi kinh phí."))
    if project.status not in PAYABLE_STATUSES:
        raise FundingError(
            _("Đề án chưa được phê duyệt (trạng thái: %(status)s) nên chưa thể giao hoặc chi kinh phí.")
            % {"status": project.get_status_display()}
        )


def _lock_envelope(project: Project, source: str, year: int) -> BudgetEnvelope:
    envelope = (
        BudgetEnvelope.objects.select_for_update()
        .filter(province_id=project.province_id, year=year, level=source)
        .first()
    )
    if envelope is None:
        raise FundingError(
            _("Tỉnh chưa có dự toán %(level)s năm %(year)s: lãnh đạo cần nhập dự toán giao trước.")
            % {"level": FundingLevel(source).label, "year": year},
            field="source",
        )
    return envelope


def _check_envelope(envelope: BudgetEnvelope, increase: int) -> None:
    if envelope.allocated + increase > envelope.amount:
        raise FundingError(
            _(
                "Vượt dự toán giao: dự toán %(amount)s, đã phân bổ %(allocated)s, còn %(left)s; "
                "số đề nghị vượt %(over)s."
            )
            % {
                "amount": format_vnd(envelope.amount),
                "allocated": format_vnd(envelope.allocated),
                "left": format_vnd(envelope.available),
                "over": format_vnd(envelope.allocated + increase - envelope.amount),
            },
            field="amount",
        )


def _check_cap_after(project: Project, new_state_total: int) -> None:
    check = cap_check(project, state_share=new_state_total)
    if not check.ok:
        raise FundingError(check.message, field="amount")


def allocation_create(
    *,
    user: Any,
    project: Project,
    source: str,
    year: int,
    amount: int,
    decision_number: str,
    decision_date: dt.date,
) -> Allocation:
    """Record the approved state money of a project from one source and year (from the approval decision)."""
    _positive(amount)
    if source not in FundingLevel.values:
        raise FundingError(_("Nguồn kinh phí không hợp lệ."), field="source")
    with _audited(user, "allocation_create", project=project.pk):
        locked_project = Project.objects.select_for_update().get(pk=project.pk)
        _require_decided(locked_project)
        if not locked_project.start_year <= year <= locked_project.end_year:
            raise FundingError(
                _("Năm %(year)s nằm ngoài thời gian thực hiện đề án.") % {"year": year}, field="year"
            )
        if Allocation.objects.filter(project=locked_project, source=source, year=year).exists():
            raise FundingError(
                _("Đề án đã có kinh phí giao từ nguồn này trong năm này: hãy điều chỉnh thay vì nhập mới."),
                field="source",
            )
        envelope = _lock_envelope(locked_project, source, year)
        _check_envelope(envelope, amount)
        current = Allocation.objects.filter(project=locked_project).aggregate(s=Sum("amount"))["s"] or 0
        _check_cap_after(locked_project, current + amount)
        allocation = Allocation.objects.create(
            project=locked_project,
            envelope=envelope,
            source=source,
            year=year,
            amount=amount,
            decision_number=decision_number,
            decision_date=decision_date,
        )
        AllocationVersion.objects.create(
            allocation=allocation,
            number=1,
            amount=amount,
            decision_number=decision_number,
            decision_date=decision_date,
            created_by=user,
        )
        # The envelope's ``allocated`` follows by trigger (funding.models.Allocation.Meta.triggers).
        return allocation


def allocation_adjust(
    *,
    user: Any,
    allocation: Allocation,
    amount: int,
    decision_number: str,
    decision_date: dt.date,
    reason: str,
    expected_version: int | None,
) -> Allocation:
    """Change the approved amount by an adjustment decision; the previous versions are kept."""
    if not isinstance(amount, int) or amount < 0:
        raise FundingError(_("Số tiền không được âm."), field="amount")
    with _audited(user, "allocation_adjust", allocation=allocation.pk):
        locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
        _check_version(locked.version, expected_version)
        project = Project.objects.get(pk=locked.project_id)
        if Settlement.objects.filter(project=project).exists():
            raise FundingError(_("Đề án đã quyết toán: không thể điều chỉnh kinh phí."))
        if amount < locked.disbursed:
            raise FundingError(
                _("Kinh phí giao không được nhỏ hơn số đã chi (%(disbursed)s).")
                % {"disbursed": format_vnd(locked.disbursed)},
                field="amount",
            )
        delta = amount - locked.amount
        envelope = BudgetEnvelope.objects.select_for_update().get(pk=locked.envelope_id)
        if delta > 0:
            _check_envelope(envelope, delta)
            others = (
                Allocation.objects.filter(project=project)
                .exclude(pk=locked.pk)
                .aggregate(s=Sum("amount"))["s"]
                or 0
            )
            _check_cap_after(project, others + amount)
        number = locked.versions.count() + 1
        AllocationVersion.objects.create(
            allocation=locked,
            number=number,
            amount=amount,
            decision_number=decision_number,
            decision_date=decision_date,
            reason=reason,
            created_by=user,
        )
        locked.amount = amount
        locked.decision_number = decision_number
        locked.decision_date = decision_date
        locked.version += 1
        locked.save()  # the envelope's ``allocated`` follows by trigger
        return locked


# --- Ledger -----------------------------------------------------------------------------------------------
def advance_limit(allocation: Allocation, category: ActivityCategory) -> int:
    """Most that may be advanced on the allocation: the category's ceiling (70 % / 30 %) of the amount."""
    return allocation.amount * category.advance_ceiling_pct // 100


def entry_record(
    *,
    user: Any,
    allocation: Allocation,
    kind: str,
    amount: int,
    voucher_number: str,
    voucher_date: dt.date,
    document: Any = None,
    note: str = "",
    expected_version: int | None = None,
) -> MoneyEntry:
    """Record an advance, a payment or a recovery of an advance against an allocation."""
    if kind not in EntryKind.values:
        raise FundingError(_("Loại bút toán không hợp lệ."))
    _positive(amount)
    if not voucher_number.strip():
        raise FundingError(_("Cần nhập số chứng từ."), field="voucher_number")
    with _audited(user, f"{kind}_record", allocation=allocation.pk):
        locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
        _check_version(locked.version, expected_version)
        project = Project.objects.select_related("category").get(pk=locked.project_id)
        _require_decided(project)
        if Settlement.objects.filter(project=project).exists():
            raise FundingError(_("Đề án đã quyết toán: không thể ghi thêm bút toán."))
        if kind == EntryKind.RECOVERY:
            if amount > locked.outstanding_advance:
                raise FundingError(
                    _("Số thu hồi vượt số tạm ứng chưa thu hồi (%(left)s).")
                    % {"left": format_vnd(locked.outstanding_advance)},
                    field="amount",
                )
        else:
            if amount > locked.remaining:
                raise FundingError(
                    _("Số tiền %(amount)s vượt số kinh phí còn lại được chi (%(left)s) là %(over)s.")
                    % {
                        "amount": format_vnd(amount),
                        "left": format_vnd(locked.remaining),
                        "over": format_vnd(amount - locked.remaining),
                    },
                    field="amount",
                )
            if kind == EntryKind.ADVANCE:
                limit = advance_limit(locked, project.category)
                if locked.advanced + amount > limit:
                    raise FundingError(
                        _(
                            "Tạm ứng vượt mức tối đa %(pct)s%% kinh phí giao (%(limit)s; "
                            "đã tạm ứng %(done)s, còn được tạm ứng %(left)s)."
                        )
                        % {
                            "pct": project.category.advance_ceiling_pct,
                            "limit": format_vnd(limit),
                            "done": format_vnd(locked.advanced),
                            "left": format_vnd(max(limit - locked.advanced, 0)),
                        },
                        field="amount",
                    )
        # Inserting the entry updates the allocation's totals and version by trigger.
        entry = MoneyEntry(
            allocation=locked,
            kind=kind,
            amount=amount,
            voucher_number=voucher_number.strip(),
            voucher_date=voucher_date,
            note=note,
            recorded_by=user,
        )
        if document:
            entry.document = document
        entry.save()
        return entry


def payment_record(**kwargs: Any) -> MoneyEntry:
    """Record a payment (thanh toán) against an allocation."""
    return entry_record(kind=EntryKind.PAYMENT, **kwargs)


def advance_record(**kwargs: Any) -> MoneyEntry:
    """Record an advance (tạm ứng) against an allocation, within the category's ceiling."""
    return entry_record(kind=EntryKind.ADVANCE, **kwargs)


def recovery_record(**kwargs: Any) -> MoneyEntry:
    """Record the recovery (thu hồi) of an advance."""
    return entry_record(kind=EntryKind.RECOVERY, **kwargs)


def entry_reverse(
    *,
    user: Any,
    entry: MoneyEntry,
    voucher_number: str,
    voucher_date: dt.date,
    note: str,
    expected_version: int | None = None,
) -> MoneyEntry:
    """Correct an entry by a reversing entry of the opposite sign (the original is never changed)."""
    if not note.strip():
        raise FundingError(_("Cần ghi lý do đảo bút toán."), field="note")
    with _audited(user, "entry_reverse", entry=entry.pk):
        locked = Allocation.objects.select_for_update().get(pk=entry.allocation_id)
        _check_version(locked.version, expected_version)
        original = MoneyEntry.objects.get(pk=entry.pk)
        if original.reverses_id is not None:
            raise FundingError(_("Không thể đảo một bút toán đảo."))
        if MoneyEntry.objects.filter(reverses=original).exists():
            raise FundingError(_("Bút toán này đã được đảo."))
        if Settlement.objects.filter(project_id=locked.project_id).exists():
            raise FundingError(_("Đề án đã quyết toán: không thể đảo bút toán."))
        if original.kind == EntryKind.ADVANCE and locked.advanced - original.amount < locked.recovered:
            raise FundingError(_("Tạm ứng này đã được thu hồi một phần: hãy đảo bút toán thu hồi trước."))
        if original.kind == EntryKind.RECOVERY and locked.disbursed + original.amount > locked.amount:
            raise FundingError(_("Đảo bút toán thu hồi sẽ làm số đã chi vượt kinh phí giao."))
        return MoneyEntry.objects.create(  # the trigger subtracts it from the allocation's totals
            allocation=locked,
            kind=original.kind,
            amount=-original.amount,
            voucher_number=voucher_number.strip(),
            voucher_date=voucher_date,
            note=note.strip(),
            reverses=original,
            recorded_by=user,
        )


# --- Settlement ---------------------------------------------------------------------------------------------
def settlement_due(year: int) -> dt.date:
    """The settlement deadline of budget year ``year``: 22 January of the following year."""
    return dt.date(year + 1, *SETTLEMENT_DUE)


@dataclass(frozen=True)
class DeadlineWarning:
    year: int
    due: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def settlement_warning(
    project: Project, allocation_years: list[int], today: dt.date | None = None
) -> DeadlineWarning | None:
    """A warning when a year's settlement of the (unsettled) project is due within 30 days or overdue."""
    today = today or timezone.localdate()
    for year in sorted(set(allocation_years)):
        due = settlement_due(year)
        days = (due - today).days
        if days <= SETTLEMENT_WARNING_DAYS:
            return DeadlineWarning(year=year, due=due, days_left=days)
    return None


def settlement_record(
    *,
    user: Any,
    project: Project,
    year: int,
    decision_number: str,
    decision_date: dt.date,
    actual: Mapping[str, int | None],
    note: str = "",
) -> Settlement:
    """Record the final settlement (quyết toán) of an accepted project: actual by source, unspent returned.

    For the state sources ``actual`` may not exceed what was disbursed; the difference is returned.
    """
    for source, value in actual.items():
        if value is not None and (not isinstance(value, int) or value < 0):
            raise FundingError(_("Số tiền không được âm."), field=f"actual_{source}")
    if not decision_number.strip():
        raise FundingError(_("Cần nhập số quyết định hoặc biên bản quyết toán."), field="decision_number")
    with _audited(user, "settlement_record", project=project.pk):
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.status not in SETTLEABLE_STATUSES:
            raise FundingError(
                _("Chỉ quyết toán sau khi đề án đã nghiệm thu (trạng thái hiện tại: %(status)s).")
                % {"status": locked.get_status_display()}
            )
        if Settlement.objects.filter(project=locked).exists():
            raise FundingError(_("Đề án đã được quyết toán."))
        allocations = list(Allocation.objects.select_for_update().filter(project=locked))
        planned = {
            row["source"]: row["s"]
            for row in CostPlanLine.objects.filter(project=locked).values("source").annotate(s=Sum("amount"))
        }
        settlement = Settlement.objects.create(
            project=locked,
            year=year,
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            note=note,
            recorded_by=user,
        )
        lines = []
        for source in Source.values:
            allocated = sum(a.amount for a in allocations if a.source == source)
            disbursed = sum(a.disbursed for a in allocations if a.source == source)
            value = actual.get(source)
            if source in STATE_SOURCES:
                value = disbursed if value is None else value
                if value > disbursed:
                    raise FundingError(
                        _("Quyết toán %(source)s (%(actual)s) vượt số đã chi (%(disbursed)s).")
                        % {
                            "source": Source(source).label,
                            "actual": format_vnd(value),
                            "disbursed": format_vnd(disbursed),
                        },
                        field=f"actual_{source}",
                    )
                returned = disbursed - value
            else:
                value = value or 0
                returned = 0
            if value or planned.get(source) or allocated:
                lines.append(
                    SettlementLine(
                        settlement=settlement,
                        source=source,
                        planned=planned.get(source, 0),
                        allocated=allocated,
                        disbursed=disbursed,
                        actual=value,
                        returned=returned,
                    )
                )
        SettlementLine.objects.bulk_create(lines)
        return settlement
