"""Admin: cap rules are edited here by admins; money rows are read-only (services write them)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Allocation,
    AllocationVersion,
    BudgetEnvelope,
    CostPlanLine,
    FundingProfile,
    MoneyEntry,
    ReconcileRun,
    Settlement,
    SettlementLine,
    SupportCapRule,
)


@admin.register(SupportCapRule)
class SupportCapRuleAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "category",
        "valid_from",
        "valid_until",
        "share_permille",
        "ceiling_per_facility",
        "priority_multiplier_pct",
        "line_multiplier_pct",
    )
    list_filter = ("category",)
    search_fields = ("name", "legal_basis")


@admin.register(BudgetEnvelope)
class BudgetEnvelopeAdmin(ReadOnlyAdmin):
    list_display = ("province", "year", "level", "amount", "allocated")
    list_filter = ("year", "level")
    list_select_related = ("province",)


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ("project", "source", "year", "amount", "advanced", "recovered", "paid")
    list_filter = ("year", "source")
    list_select_related = ("project",)
    raw_id_fields = ("project", "envelope")


@admin.register(AllocationVersion)
class AllocationVersionAdmin(ReadOnlyAdmin):
    list_display = ("allocation", "number", "amount", "decision_number", "decision_date")


@admin.register(MoneyEntry)
class MoneyEntryAdmin(ReadOnlyAdmin):
    list_display = ("voucher_number", "voucher_date", "kind", "amount", "allocation", "recorded_by")
    list_select_related = ("allocation__project", "recorded_by")
    list_filter = ("kind",)
    raw_id_fields = ("allocation", "reverses")


class SettlementLineInline(ReadOnlyInline):
    model = SettlementLine


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ("project", "year", "decision_number", "decision_date")
    inlines = [SettlementLineInline]


@admin.register(CostPlanLine)
class CostPlanLineAdmin(ReadOnlyAdmin):
    list_display = ("project", "year", "source", "amount")
    list_select_related = ("project",)
    list_filter = ("source",)
    raw_id_fields = ("project",)


@admin.register(FundingProfile)
class FundingProfileAdmin(ReadOnlyAdmin):
    list_display = ("project", "facilities")
    list_select_related = ("project",)
    raw_id_fields = ("project",)


@admin.register(ReconcileRun)
class ReconcileRunAdmin(ReadOnlyAdmin):
    """The runs of ``manage.py reconcile``; a failed run lists each difference."""

    list_display = ("started_at", "trigger", "ok", "difference_count")
    list_filter = ("ok", "trigger")
    readonly_fields = ("started_at", "finished_at", "trigger", "ok", "difference_list")
    exclude = ("differences",)

    @admin.display(description=_("số chênh lệch"))
    def difference_count(self, run: ReconcileRun) -> int:
        return len(run.differences)

    @admin.display(description=_("chênh lệch"))
    def difference_list(self, run: ReconcileRun) -> str:
        from django.utils.html import format_html_join

        return format_html_join(
            "",
            "<div><code>{}</code> {}: {}</div>",
            ((d["check"], d["subject"], d["detail"]) for d in run.differences),
        )
