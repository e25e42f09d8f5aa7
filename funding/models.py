"""Money of the khuyến công programme, in integer đồng.

Tables the reports app aggregates (all amounts are ``BigIntegerField`` đồng, never floats):

* :class:`BudgetEnvelope` — dự toán giao: one row per province, year and funding level (KCQG/KCĐP).
  ``amount`` is the envelope; ``allocated`` is the MAINTAINED sum of ``Allocation.amount`` of the
  allocations drawn on it (CHECK ``0 <= allocated <= amount``).
* :class:`CostPlanLine` — planned cost of a project by source (KCQG, KCĐP, vốn đối ứng, khác) and year.
* :class:`SupportCapRule` — effective-dated support caps per activity category.
* :class:`Allocation` — kinh phí giao for one project, one state source and one year, drawn on one
  envelope. ``amount`` is the current approved amount (every version kept in
  :class:`AllocationVersion`); MAINTAINED totals ``advanced`` (tạm ứng), ``recovered`` (thu hồi tạm
  ứng) and ``paid`` (thanh toán), each the sum of the allocation's :class:`MoneyEntry` rows of that
  kind (reversals included, negative), kept by a database trigger on MoneyEntry.
  Disbursed = ``advanced - recovered + paid``; CHECK ``disbursed <= amount``, ``recovered <= advanced``.
* :class:`MoneyEntry` — append-only ledger rows; a database trigger refuses UPDATE and DELETE.
* :class:`Settlement` / :class:`SettlementLine` — quyết toán of a project: final amount by source,
  planned vs actual, unspent state money returned.

Every money table is audited by django-pghistory triggers (``<Model>Event`` tables), which also see
bulk updates and raw SQL.
"""

from __future__ import annotations

from typing import Any

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet
from projects.choices import FundingLevel

from . import gates
from .gates import MoneyAction

AUDIT: dict[str, Any] = {"context_field": pghistory.ContextForeignKey()}


class Source(models.TextChoices):
    """Every source of a project's money."""

    KCQG = "kcqg", _("KCQG")
    KCDP = "kcdp", _("KCĐP")
    COUNTERPART = "counterpart", _("Vốn đối ứng")
    OTHER = "other", _("Nguồn khác")


STATE_SOURCES = (Source.KCQG, Source.KCDP)


class EntryKind(models.TextChoices):
    ADVANCE = "advance", _("Tạm ứng")
    PAYMENT = "payment", _("Thanh toán")
    RECOVERY = "recovery", _("Thu hồi tạm ứng")


# --- Envelopes ------------------------------------------------------------------------------------
class BudgetEnvelopeQuerySet(ScopedQuerySet):
    province_lookup = "province"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **AUDIT)
class BudgetEnvelope(models.Model):
    """Dự toán giao: the money a province may allocate in a year at one funding level.

    ``allocated`` is maintained by a database trigger (sum of its allocations' ``amount``).
    """

    province = models.ForeignKey(
        "regions.Province", on_delete=models.PROTECT, related_name="budget_envelopes", verbose_name=_("tỉnh")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    level = models.CharField(_("cấp kinh phí"), max_length=10, choices=FundingLevel.choices)
    amount = models.BigIntegerField(_("dự toán giao (đồng)"))
    allocated = models.BigIntegerField(_("đã phân bổ (đồng)"), default=0, editable=False)
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BudgetEnvelopeQuerySet.as_manager()

    class Meta:
        verbose_name = _("dự toán giao")
        verbose_name_plural = _("dự toán giao")
        ordering = ["-year", "province", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "level"],
                name="envelope_unique_province_year_level",
                violation_error_message=_("Tỉnh đã có dự toán cho năm và cấp kinh phí này."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="envelope_amount_positive",
                violation_error_message=_("Dự toán phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(allocated__gte=0) & Q(allocated__lte=F("amount")),
                name="envelope_allocated_within_amount",
                violation_error_message=_("Tổng phân bổ vượt dự toán giao."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.year} — {self.province}"

    @property
    def available(self) -> int:
        return self.amount - self.allocated


# --- Planned cost -----------------------------------------------------------------------------------
class CostPlanLineQuerySet(ScopedQuerySet):
    province_lookup = "project__province"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **AUDIT)
class CostPlanLine(models.Model):
    """Planned cost of one project from one source in one year (đồng)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="cost_plan_lines", verbose_name=_("đề án")
    )
    source = models.CharField(_("nguồn"), max_length=20, choices=Source)
    year = models.PositiveSmallIntegerField(_("năm"))
    amount = models.BigIntegerField(_("số tiền (đồng)"))

    objects = CostPlanLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch kinh phí theo nguồn")
        verbose_name_plural = _("kế hoạch kinh phí theo nguồn")
        ordering = ["project", "year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["project", "source", "year"], name="costplan_unique_line"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="costplan_amount_not_negative",
                violation_error_message=_("Số tiền không được âm."),
            ),
        ]
        triggers = [
            # An allocation never exceeds its cost plan line: checked at commit (deferred), because the
            # cost plan is replaced as a whole (delete, then insert the new lines).
            pgtrigger.Trigger(
                name="costplan_covers_allocations",
                operation=pgtrigger.Update | pgtrigger.Delete,
                when=pgtrigger.After,
                timing=pgtrigger.Deferred,
                func="""
                IF EXISTS (
                    SELECT 1 FROM funding_allocation a
                     WHERE a.project_id = OLD.project_id AND a.source = OLD.source AND a.year = OLD.year
                       AND a.amount > (SELECT COALESCE(SUM(l.amount), 0) FROM funding_costplanline l
                                        WHERE l.project_id = OLD.project_id AND l.source = OLD.source
                                          AND l.year = OLD.year)
                ) THEN
                    RAISE EXCEPTION 'money gate: the cost plan of project % no longer covers its allocation',
                        OLD.project_id USING ERRCODE = 'check_violation';
                END IF;
                RETURN NULL;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year} {self.get_source_display()}: {self.amount}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **AUDIT)
class FundingProfile(models.Model):
    """What the cap check needs to know about a project beyond its total cost (one row per project)."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.PROTECT, related_name="funding_profile", verbose_name=_("đề án")
    )
    eligible_cost = models.BigIntegerField(
        _("chi phí được hỗ trợ (đồng)"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu bằng tổng kinh phí của đề án."),
    )
    facilities = models.PositiveIntegerField(_("số cơ sở thụ hưởng"), default=1)
    priority_area = models.BooleanField(_("địa bàn ưu tiên"), default=False)
    technology_line = models.BooleanField(_("hỗ trợ cả dây chuyền công nghệ"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("thông tin tính mức hỗ trợ")
        verbose_name_plural = _("thông tin tính mức hỗ trợ")
        constraints = [
            models.CheckConstraint(
                condition=Q(eligible_cost__isnull=True) | Q(eligible_cost__gte=0),
                name="fundingprofile_eligible_not_negative",
            ),
            models.CheckConstraint(condition=Q(facilities__gte=1), name="fundingprofile_facilities_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.facilities}"


# --- Support caps ----------------------------------------------------------------------------------
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **AUDIT)
class SupportCapRule(models.Model):
    """Mức hỗ trợ tối đa: share of the eligible cost and a ceiling per facility, from a date.

    Shares and multipliers are integers in per-mille / percent so no float touches money:
    ``share_permille`` 500 = 50 %; ``priority_multiplier_pct`` 150 = ×1.5 (applied to the ceiling);
    ``line_multiplier_pct`` 150 = ×1.5 for a whole technology line (applied to the ceiling).
    """

    category = models.ForeignKey(
        "projects.ActivityCategory",
        on_delete=models.PROTECT,
        related_name="cap_rules",
        verbose_name=_("nội dung hoạt động"),
    )
    name = models.CharField(_("tên quy định"), max_length=255)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_until = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    share_permille = models.PositiveIntegerField(_("tỷ lệ tối đa (‰ chi phí)"))
    ceiling_per_facility = models.BigIntegerField(_("mức tối đa mỗi cơ sở (đồng)"), null=True, blank=True)
    priority_multiplier_pct = models.PositiveIntegerField(_("hệ số địa bàn ưu tiên (%)"), default=100)
    line_multiplier_pct = models.PositiveIntegerField(_("hệ số dây chuyền công nghệ (%)"), default=100)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("mức hỗ trợ tối đa")
        verbose_name_plural = _("mức hỗ trợ tối đa")
        ordering = ["category", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_permille__gt=0) & Q(share_permille__lte=1000),
                name="caprule_share_range",
                violation_error_message=_("Tỷ lệ hỗ trợ phải trong khoảng 0–100%%."),
            ),
            models.CheckConstraint(
                condition=Q(ceiling_per_facility__isnull=True) | Q(ceiling_per_facility__gt=0),
                name="caprule_ceiling_positive",
                violation_error_message=_("Mức tối đa phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="caprule_dates_ordered",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(priority_multiplier_pct__gte=100) & Q(line_multiplier_pct__gte=100),
                name="caprule_multipliers_at_least_one",
                violation_error_message=_("Hệ số phải từ 100%% trở lên."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# --- Allocations ------------------------------------------------------------------------------------
class AllocationQuerySet(ScopedQuerySet):
    province_lookup = "project__province"


class DisbursementArithmetic:
    """Derived figures of anything with ``amount``, ``advanced``, ``recovered`` and ``paid``
    (an allocation row, or totals summed over several)."""

    amount: int
    advanced: int
    recovered: int
    paid: int

    @property
    def outstanding_advance(self) -> int:
        return self.advanced - self.recovered

    @property
    def disbursed(self) -> int:
        return self.advanced - self.recovered + self.paid

    @property
    def remaining(self) -> int:
        return self.amount - self.disbursed


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **AUDIT)
class Allocation(DisbursementArithmetic, models.Model):
    """Kinh phí giao: one project's state money from one source in one year, drawn on an envelope.

    Maintained totals (by a trigger on each inserted entry; services hold the row lock): ``advanced``,
    ``recovered``, ``paid`` = sums of the entries of each kind. ``disbursed = advanced - recovered + paid``.
    ``version`` rises with every change (optimistic check of forms).
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="allocations", verbose_name=_("đề án")
    )
    envelope = models.ForeignKey(
        BudgetEnvelope, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("dự toán")
    )
    source = models.CharField(_("nguồn"), max_length=10, choices=FundingLevel.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    amount = models.BigIntegerField(_("kinh phí giao (đồng)"))
    advanced = models.BigIntegerField(_("đã tạm ứng"), default=0, editable=False)
    recovered = models.BigIntegerField(_("đã thu hồi tạm ứng"), default=0, editable=False)
    paid = models.BigIntegerField(_("đã thanh toán"), default=0, editable=False)
    decision_number = models.CharField(_("số quyết định"), max_length=100)
    decision_date = models.DateField(_("ngày quyết định"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AllocationQuerySet.as_manager()
    #: Not a column: set on each allocation that selectors.project_money lists (the money tab shows it).
    advance_limit: int
    #: Not a column either: what may be paid out now, as the lifecycle gates allow (services.payable_now).
    payable_now: int

    class Meta:
        verbose_name = _("kinh phí giao")
        verbose_name_plural = _("kinh phí giao")
        ordering = ["project", "year", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "source", "year"],
                name="allocation_unique_project_source_year",
                violation_error_message=_("Đề án đã có kinh phí giao từ nguồn này trong năm này."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="allocation_amount_not_negative",
                violation_error_message=_("Kinh phí giao không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(advanced__gte=0) & Q(paid__gte=0) & Q(recovered__gte=0),
                name="allocation_totals_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(recovered__lte=F("advanced")),
                name="allocation_recovered_within_advanced",
                violation_error_message=_("Số thu hồi vượt số đã tạm ứng."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=F("advanced") - F("recovered") + F("paid")),
                name="allocation_disbursed_within_amount",
                violation_error_message=_("Số đã chi vượt kinh phí giao."),
            ),
        ]
        triggers = [
            # The lifecycle gate and the cost plan, whatever path writes (funding.gates): an allocation
            # only in the allocation gate's states, an increase only in the adjustment gate's, never
            # after a settlement, and never above the cost plan's line of its source and year.
            pgtrigger.Trigger(
                name="allocation_lifecycle_gate",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                declare=[("st", "text"), ("planned", "bigint")],
                func=f"""
                IF TG_OP = 'UPDATE' AND NEW.amount <= OLD.amount AND NEW.project_id = OLD.project_id
                   AND NEW.source = OLD.source AND NEW.year = OLD.year THEN
                    RETURN NEW;
                END IF;
                SELECT status INTO st FROM projects_project WHERE id = NEW.project_id;
                IF TG_OP = 'INSERT' AND st NOT IN {gates.sql_states(MoneyAction.ALLOCATION)} THEN
                    RAISE EXCEPTION 'money gate: allocation refused in state %', st
                        USING ERRCODE = 'check_violation';
                END IF;
                IF TG_OP = 'UPDATE' AND st NOT IN {gates.sql_states(MoneyAction.ADJUSTMENT)} THEN
                    RAISE EXCEPTION 'money gate: adjustment refused in state %', st
                        USING ERRCODE = 'check_violation';
                END IF;
                IF EXISTS (SELECT 1 FROM funding_settlement s WHERE s.project_id = NEW.project_id) THEN
                    RAISE EXCEPTION 'money gate: project % is settled', NEW.project_id
                        USING ERRCODE = 'check_violation';
                END IF;
                SELECT COALESCE(SUM(l.amount), 0) INTO planned FROM funding_costplanline l
                 WHERE l.project_id = NEW.project_id AND l.source = NEW.source AND l.year = NEW.year;
                IF NEW.amount > planned THEN
                    RAISE EXCEPTION 'money gate: allocation % above the cost plan line %', NEW.amount, planned
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
                """,
            ),
            # The envelope's maintained total follows every allocation change, whatever path wrote it:
            # lock the envelope, then recompute the sum (idempotent, so rows bulk-loaded with their
            # totals already filled stay consistent; the lock makes concurrent writers queue).
            pgtrigger.Trigger(
                name="allocation_maintain_envelope",
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                when=pgtrigger.After,
                func="""
                IF TG_OP = 'UPDATE' AND NEW.amount = OLD.amount AND NEW.envelope_id = OLD.envelope_id THEN
                    RETURN NULL;
                END IF;
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    PERFORM 1 FROM funding_budgetenvelope WHERE id = OLD.envelope_id FOR UPDATE;
                    UPDATE funding_budgetenvelope e
                       SET allocated = (SELECT COALESCE(SUM(a.amount), 0) FROM funding_allocation a
                                         WHERE a.envelope_id = OLD.envelope_id),
                           version = e.version + 1
                     WHERE e.id = OLD.envelope_id;
                END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    PERFORM 1 FROM funding_budgetenvelope WHERE id = NEW.envelope_id FOR UPDATE;
                    UPDATE funding_budgetenvelope e
                       SET allocated = (SELECT COALESCE(SUM(a.amount), 0) FROM funding_allocation a
                                         WHERE a.envelope_id = NEW.envelope_id),
                           version = e.version + 1
                     WHERE e.id = NEW.envelope_id;
                END IF;
                RETURN NULL;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.year} — {self.project}"


class AllocationVersionQuerySet(ScopedQuerySet):
    province_lookup = "allocation__project__province"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **AUDIT)
class AllocationVersion(models.Model):
    """Every approved amount of an allocation: the first decision and each adjustment (never edited)."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("lần"))
    amount = models.BigIntegerField(_("kinh phí giao (đồng)"))
    decision_number = models.CharField(_("số quyết định"), max_length=100)
    decision_date = models.DateField(_("ngày quyết định"))
    reason = models.TextField(_("lý do"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AllocationVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần giao kinh phí")
        verbose_name_plural = _("các lần giao kinh phí")
        ordering = ["allocation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "number"], name="allocationversion_unique_number"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocationversion_amount_not_negative"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="allocationversion_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.allocation_id} v{self.number}: {self.amount}"


# --- Ledger -----------------------------------------------------------------------------------------
class MoneyEntryQuerySet(ScopedQuerySet):
    province_lookup = "allocation__project__province"


def voucher_upload_to(instance: MoneyEntry, filename: str) -> str:
    """An opaque stored name (the uploaded name is never trusted), keeping only the checked extension."""
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"funding/vouchers/{instance.allocation_id}/{uuid.uuid4().hex}.{suffix}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **AUDIT)
class MoneyEntry(models.Model):
    """One advance, payment or recovery (or the reversal of one: negative amount, ``reverses`` set).

    Never edited or deleted: a database trigger refuses UPDATE and DELETE on this table.
    """

    allocation = models.ForeignKey(
        Allocation, on_delete=models.PROTECT, related_name="entries", verbose_name=_("kinh phí giao")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=EntryKind)
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    voucher_number = models.CharField(_("số chứng từ"), max_length=100)
    voucher_date = models.DateField(_("ngày chứng từ"))
    document = models.FileField(_("chứng từ đính kèm"), upload_to=voucher_upload_to, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("bút toán bị đảo"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = MoneyEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("bút toán kinh phí")
        verbose_name_plural = _("bút toán kinh phí")
        ordering = ["allocation", "voucher_date", "id"]
        indexes = [models.Index(fields=["allocation", "kind"], name="moneyentry_alloc_kind")]
        constraints = [
            models.UniqueConstraint(
                F("allocation"),
                ExtractYear("voucher_date"),
                F("voucher_number"),
                name="moneyentry_unique_voucher_per_allocation_year",
                violation_error_message=_("Số chứng từ này đã được ghi cho kinh phí giao này trong năm."),
            ),
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(amount__gt=0))
                | (Q(reverses__isnull=False) & Q(amount__lt=0)),
                name="moneyentry_sign_matches_reversal",
                violation_error_message=_("Số tiền phải lớn hơn 0."),
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="moneyentry_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            # The lifecycle gate, whatever path inserts (funding.gates): each kind (a reversing entry:
            # the reversal gate) only in its gate's states, nothing once settled, and before acceptance
            # the money out (advances + payments − recoveries) within the category's advance ceiling;
            # gross advances within the ceiling always. The allocation row is locked first, so
            # concurrent writers queue and read the maintained totals as they stand.
            pgtrigger.Trigger(
                name="moneyentry_lifecycle_gate",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                declare=[
                    ("st", "text"),
                    ("pct", "integer"),
                    ("alloc", "funding_allocation%ROWTYPE"),
                    ("effect", "bigint"),
                    ("adv", "bigint"),
                    ("rec", "bigint"),
                    ("pay", "bigint"),
                ],
                func=f"""
                SELECT * INTO alloc FROM funding_allocation WHERE id = NEW.allocation_id FOR UPDATE;
                SELECT p.status, c.advance_ceiling_pct INTO st, pct
                  FROM projects_project p JOIN projects_activitycategory c ON c.id = p.category_id
                 WHERE p.id = alloc.project_id;
                IF NEW.reverses_id IS NOT NULL THEN
                    IF st NOT IN {gates.sql_states(MoneyAction.REVERSAL)} THEN
                        RAISE EXCEPTION 'money gate: reversal refused in state %', st
                            USING ERRCODE = 'check_violation';
                    END IF;
                ELSIF (NEW.kind = 'advance' AND st NOT IN {gates.sql_states(MoneyAction.ADVANCE)})
                   OR (NEW.kind = 'payment' AND st NOT IN {gates.sql_states(MoneyAction.PAYMENT)})
                   OR (NEW.kind = 'recovery' AND st NOT IN {gates.sql_states(MoneyAction.RECOVERY)}) THEN
                    RAISE EXCEPTION 'money gate: % refused in state %', NEW.kind, st
                        USING ERRCODE = 'check_violation';
                END IF;
                IF EXISTS (SELECT 1 FROM funding_settlement s WHERE s.project_id = alloc.project_id) THEN
                    RAISE EXCEPTION 'money gate: project % is settled', alloc.project_id
                        USING ERRCODE = 'check_violation';
                END IF;
                -- The sums of the entries themselves (not the maintained totals, which a bulk load may
                -- have filled ahead of its rows).
                SELECT COALESCE(SUM(amount) FILTER (WHERE kind = 'advance'), 0),
                       COALESCE(SUM(amount) FILTER (WHERE kind = 'recovery'), 0),
                       COALESCE(SUM(amount) FILTER (WHERE kind = 'payment'), 0)
                  INTO adv, rec, pay FROM funding_moneyentry WHERE allocation_id = NEW.allocation_id;
                effect := CASE WHEN NEW.kind = 'recovery' THEN -NEW.amount ELSE NEW.amount END;
                IF effect > 0 AND st IN {gates.sql_ceiling_states()}
                   AND adv - rec + pay + effect > alloc.amount * pct / 100 THEN
                    RAISE EXCEPTION 'money gate: before acceptance money out stays within % %%', pct
                        USING ERRCODE = 'check_violation';
                END IF;
                IF NEW.kind = 'advance' AND NEW.amount > 0
                   AND adv + NEW.amount > alloc.amount * pct / 100 THEN
                    RAISE EXCEPTION 'money gate: advances stay within % %%', pct
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
                """,
            ),
            # The allocation's maintained totals follow every entry, whatever path inserted it (lock,
            # then recompute: idempotent for bulk loads, queued for concurrent writers); the
            # allocation's CHECK constraints then refuse any entry that would overspend.
            pgtrigger.Trigger(
                name="moneyentry_maintain_totals",
                operation=pgtrigger.Insert,
                when=pgtrigger.After,
                func="""
                PERFORM 1 FROM funding_allocation WHERE id = NEW.allocation_id FOR UPDATE;
                UPDATE funding_allocation a
                   SET advanced = t.advanced, recovered = t.recovered, paid = t.paid,
                       version = a.version + 1, updated_at = NOW()
                  FROM (SELECT COALESCE(SUM(amount) FILTER (WHERE kind = 'advance'), 0) AS advanced,
                               COALESCE(SUM(amount) FILTER (WHERE kind = 'recovery'), 0) AS recovered,
                               COALESCE(SUM(amount) FILTER (WHERE kind = 'payment'), 0) AS paid
                          FROM funding_moneyentry WHERE allocation_id = NEW.allocation_id) t
                 WHERE a.id = NEW.allocation_id;
                RETURN NULL;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.voucher_number}: {self.amount}"


# --- Settlement -------------------------------------------------------------------------------------
class SettlementQuerySet(ScopedQuerySet):
    province_lookup = "project__province"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **AUDIT)
class Settlement(models.Model):
    """Quyết toán of a project (one per project), recorded after acceptance; lines by source."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.PROTECT, related_name="settlement", verbose_name=_("đề án")
    )
    year = models.PositiveSmallIntegerField(_("năm ngân sách"))
    decision_number = models.CharField(_("số quyết định/biên bản"), max_length=100)
    decision_date = models.DateField(_("ngày quyết toán"))
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = SettlementQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết toán")
        verbose_name_plural = _("quyết toán")
        triggers = [
            pgtrigger.Trigger(
                name="settlement_lifecycle_gate",
                operation=pgtrigger.Insert,
                when=pgtrigger.Before,
                declare=[("st", "text")],
                func=f"""
                SELECT status INTO st FROM projects_project WHERE id = NEW.project_id;
                IF st NOT IN {gates.sql_states(MoneyAction.SETTLEMENT)} THEN
                    RAISE EXCEPTION 'money gate: settlement refused in state %', st
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Quyết toán')} {self.project}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **AUDIT)
class SettlementLine(models.Model):
    """One source of a settlement: planned, allocated, disbursed, actual (final) and returned (đồng)."""

    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="lines")
    source = models.CharField(_("nguồn"), max_length=20, choices=Source)
    planned = models.BigIntegerField(_("kế hoạch"), default=0)
    allocated = models.BigIntegerField(_("kinh phí giao"), default=0)
    disbursed = models.BigIntegerField(_("đã chi"), default=0)
    actual = models.BigIntegerField(_("quyết toán"))
    returned = models.BigIntegerField(_("hoàn trả"), default=0)

    class Meta:
        verbose_name = _("dòng quyết toán")
        verbose_name_plural = _("dòng quyết toán")
        ordering = ["settlement", "source"]
        constraints = [
            models.UniqueConstraint(fields=["settlement", "source"], name="settlementline_unique_source"),
            models.CheckConstraint(
                condition=Q(planned__gte=0)
                & Q(allocated__gte=0)
                & Q(disbursed__gte=0)
                & Q(actual__gte=0)
                & Q(returned__gte=0),
                name="settlementline_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(returned=F("disbursed") - F("actual")) | Q(source__in=["counterpart", "other"]),
                name="settlementline_returned_is_unspent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.settlement_id} {self.source}: {self.actual}"


# --- Reconciliation -----------------------------------------------------------------------------------
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **AUDIT)
class ReconcileRun(models.Model):
    """One run of ``manage.py reconcile`` (nightly by Celery beat, or by hand): the differences it found.

    The inbox shows administrators the latest failed run; written only by :mod:`funding.reconcile`.
    """

    started_at = models.DateTimeField(_("bắt đầu lúc"))
    finished_at = models.DateTimeField(_("kết thúc lúc"))
    trigger = models.CharField(_("chạy bởi"), max_length=20, default="manual")
    ok = models.BooleanField(_("khớp"), default=True)
    differences = models.JSONField(_("chênh lệch"), default=list, blank=True)

    class Meta:
        verbose_name = _("lần đối soát số liệu")
        verbose_name_plural = _("các lần đối soát số liệu")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["-started_at"], name="reconcilerun_started")]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {'OK' if self.ok else len(self.differences)}"
