"""The money rules, through the services and against the database constraints."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.models import ProtectedError

from core.errors import Conflict, DomainError
from funding import services
from funding.models import Allocation, AllocationVersion, BudgetEnvelope, CostPlanLine, MoneyEntry, Settlement
from tests.factories import budget_envelope, cost_plan_line, funded_allocation, money_project

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 4, 1)


_VOUCHERS = itertools.count(1)


def pay(user, allocation, amount, kind="payment", **kwargs):
    kwargs.setdefault("voucher_number", f"PC-{next(_VOUCHERS)}")
    return services.entry_record(
        user=user, allocation=allocation, kind=kind, amount=amount, voucher_date=DAY, **kwargs
    )


def accept(allocation):
    """Move the allocation's project to "Đã nghiệm thu" (the rest of the money becomes payable)."""
    from projects.models import Project

    Project.objects.filter(pk=allocation.project_id).update(status="accepted")


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- envelopes and allocations ----------------------------------------------------------------------
def test_allocation_maintains_envelope_total_and_first_version(allocation_a, envelope_a):
    envelope = fresh(envelope_a)
    assert envelope.allocated == 200_000_000
    assert list(allocation_a.versions.values_list("number", "amount")) == [(1, 200_000_000)]


def test_allocation_above_envelope_is_refused_and_nothing_changes(project_a, province_a, manager_a):
    budget_envelope(province_a, amount=150_000_000)
    with pytest.raises(DomainError) as err:
        funded_allocation(project_a, manager_a, amount=200_000_000)
    assert "Vượt dự toán giao" in err.value.message
    assert "50.000.000 ₫" in err.value.message  # the amount over
    assert not Allocation.objects.exists()
    assert BudgetEnvelope.objects.get().allocated == 0


def test_envelope_check_constraint_holds_in_the_database(envelope_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetEnvelope.objects.filter(pk=envelope_a.pk).update(allocated=envelope_a.amount + 1)


def test_envelope_cannot_shrink_below_allocated(allocation_a, manager_a):
    envelope = fresh(allocation_a.envelope)
    with pytest.raises(DomainError, match="không được nhỏ hơn số đã phân bổ"):
        services.envelope_update(
            user=manager_a,
            envelope=envelope,
            amount=100_000_000,
            decision_number="",
            decision_date=None,
            expected_version=envelope.version,
        )
    assert fresh(envelope).amount == 1_000_000_000


@pytest.mark.parametrize("amount", [0, -5, "abc", 1.5])
def test_non_positive_or_non_integer_amounts_are_refused(project_a, envelope_a, manager_a, amount):
    with pytest.raises(DomainError):
        services.allocation_create(
            user=manager_a,
            project=project_a,
            source="kcdp",
            year=2026,
            amount=amount,
            decision_number="1",
            decision_date=DAY,
        )
    assert not Allocation.objects.exists()


def test_allocation_on_unapproved_project_is_refused(province_a, envelope_a, manager_a):
    draft = money_project(province_a, status="draft")
    with pytest.raises(DomainError, match=r"Chỉ giao kinh phí cho đề án đã phê duyệt.*Dự thảo"):
        funded_allocation(draft, manager_a)
    assert not Allocation.objects.exists()


def test_adjustment_keeps_every_version_and_moves_the_envelope(allocation_a, manager_a):
    cost_plan_line(allocation_a.project, amount=250_000_000)
    services.allocation_adjust(
        user=manager_a,
        allocation=allocation_a,
        amount=250_000_000,
        decision_number="200/QĐ-SCT",
        decision_date=dt.date(2026, 6, 1),
        reason="Bổ sung kinh phí",
        expected_version=allocation_a.version,
    )
    allocation = fresh(allocation_a)
    assert allocation.amount == 250_000_000
    assert list(allocation.versions.values_list("number", "amount")) == [(1, 200_000_000), (2, 250_000_000)]
    assert fresh(allocation.envelope).allocated == 250_000_000


def test_stale_adjustment_is_refused(allocation_a, manager_a, staff_a):
    seen = allocation_a.version
    pay(staff_a, allocation_a, 1_000_000)  # someone else changes the allocation meanwhile
    with pytest.raises(Conflict):
        services.allocation_adjust(
            user=manager_a,
            allocation=allocation_a,
            amount=300_000_000,
            decision_number="2",
            decision_date=DAY,
            reason="x",
            expected_version=seen,
        )
    assert fresh(allocation_a).amount == 200_000_000
    assert AllocationVersion.objects.count() == 1


def test_adjustment_below_disbursed_is_refused(allocation_a, manager_a, staff_a):
    pay(staff_a, allocation_a, 120_000_000)
    with pytest.raises(DomainError, match="không được nhỏ hơn số đã chi"):
        services.allocation_adjust(
            user=manager_a,
            allocation=allocation_a,
            amount=100_000_000,
            decision_number="2",
            decision_date=DAY,
            reason="x",
            expected_version=None,
        )


# --- caps ------------------------------------------------------------------------------------------
def test_state_share_above_cap_names_rule_and_amount_over(province_a, manager_a):
    machinery = money_project(province_a, category="ND45-03", total_cost=400_000_000)
    budget_envelope(province_a, amount=5_000_000_000)
    with pytest.raises(DomainError) as err:
        funded_allocation(machinery, manager_a, amount=250_000_000)
    message = err.value.message
    assert "Máy móc, chuyển giao công nghệ" in message  # the rule
    assert "200.000.000 ₫" in message  # the limit: 50 % of 400 million
    assert "50.000.000 ₫" in message  # the amount over
    assert not Allocation.objects.exists()


def test_cap_uses_rule_in_force_on_approval_date(province_a):
    old = money_project(
        province_a, category="ND45-03", total_cost=400_000_000, decision_date=dt.date(2025, 5, 1)
    )
    new = money_project(
        province_a, category="ND45-03", total_cost=400_000_000, decision_date=dt.date(2025, 10, 15)
    )
    assert services.cap_check(old, state_share=0).limit == 120_000_000  # 30 % (old demo-model rule)
    assert services.cap_check(new, state_share=0).limit == 200_000_000  # 50 % (Decree 235)


def test_cap_ceiling_per_facility_and_technology_line_multiplier(province_a):
    from funding.models import FundingProfile

    big = money_project(province_a, category="ND45-03", total_cost=1_000_000_000)
    assert services.cap_check(big, state_share=0).limit == 300_000_000  # ceiling, not 50 %
    profile = FundingProfile.objects.create(project=big, technology_line=True)
    assert services.cap_check(big, state_share=0, profile=profile).limit == 450_000_000  # × 1.5


def test_cost_plan_counterpart_takes_the_rest(project_a, staff_a):
    services.cost_plan_save(
        user=staff_a,
        project=project_a,
        rows={2026: {"kcdp": 150_000_000, "other": 50_000_000}},
        eligible_cost=None,
        facilities=1,
        priority_area=False,
        technology_line=False,
        expected_version=None,
    )
    plan = dict(CostPlanLine.objects.values_list("source", "amount"))
    assert plan == {"kcdp": 150_000_000, "other": 50_000_000, "counterpart": 200_000_000}
    assert sum(plan.values()) == project_a.total_cost


def test_cost_plan_sources_above_total_are_refused(project_a, staff_a):
    with pytest.raises(DomainError, match="vượt tổng kinh phí"):
        services.cost_plan_save(
            user=staff_a,
            project=project_a,
            rows={2026: {"kcdp": 300_000_000, "counterpart": 200_000_000}},
            eligible_cost=None,
            facilities=1,
            priority_area=False,
            technology_line=False,
            expected_version=None,
        )
    assert not CostPlanLine.objects.exists()


def test_cost_plan_above_cap_is_refused(province_a, staff_a):
    machinery = money_project(province_a, category="ND45-03", total_cost=400_000_000)
    with pytest.raises(DomainError, match="vượt mức tối đa"):
        services.cost_plan_save(
            user=staff_a,
            project=machinery,
            rows={2026: {"kcdp": 250_000_000}},
            eligible_cost=None,
            facilities=1,
            priority_area=False,
            technology_line=False,
            expected_version=None,
        )
    assert not CostPlanLine.objects.exists()


# --- advances, payments, recoveries ------------------------------------------------------------------
def test_advance_above_category_ceiling_is_refused(allocation_a, staff_a):
    pay(staff_a, allocation_a, 100_000_000, kind="advance")
    with pytest.raises(DomainError, match="70%"):
        pay(staff_a, allocation_a, 40_000_001, kind="advance")  # 140 000 000 is 70 % of 200 million
    pay(staff_a, allocation_a, 40_000_000, kind="advance")
    assert fresh(allocation_a).advanced == 140_000_000


def test_cluster_infrastructure_advances_stop_at_30_percent(province_a, staff_a, manager_a):
    cluster = money_project(province_a, category="ND45-07", status="in_progress")
    allocation = funded_allocation(cluster, manager_a, amount=200_000_000)
    with pytest.raises(DomainError, match="30%"):
        pay(staff_a, allocation, 60_000_001, kind="advance")
    assert fresh(allocation).advanced == 0


def test_payment_above_remaining_is_refused_and_nothing_changes(allocation_a, staff_a):
    accept(allocation_a)
    pay(staff_a, allocation_a, 150_000_000)
    with pytest.raises(DomainError) as err:
        pay(staff_a, allocation_a, 60_000_000)
    assert "50.000.000 ₫" in err.value.message and "10.000.000 ₫" in err.value.message  # left, over
    allocation = fresh(allocation_a)
    assert allocation.paid == 150_000_000
    assert MoneyEntry.objects.count() == 1


def test_disbursed_within_allocated_is_a_database_constraint(allocation_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=allocation_a.pk).update(paid=200_000_001)


def test_recovery_then_payment_of_the_rest(allocation_a, staff_a):
    pay(staff_a, allocation_a, 140_000_000, kind="advance")
    pay(staff_a, allocation_a, 140_000_000, kind="recovery")
    accept(allocation_a)
    pay(staff_a, allocation_a, 200_000_000)
    allocation = fresh(allocation_a)
    assert (allocation.disbursed, allocation.remaining) == (200_000_000, 0)
    with pytest.raises(DomainError, match="Số thu hồi vượt"):
        pay(staff_a, allocation_a, 1, kind="recovery")


def test_payment_on_unapproved_project_is_refused(allocation_a, staff_a):
    from projects.models import Project

    Project.objects.filter(pk=allocation_a.project_id).update(status="stopped")
    with pytest.raises(DomainError, match=r"sau khi ký hợp đồng.*Ngừng triển khai"):
        pay(staff_a, allocation_a, 1_000_000)
    assert not MoneyEntry.objects.exists()


def test_stale_payment_form_is_refused(allocation_a, staff_a):
    seen = fresh(allocation_a).version
    pay(staff_a, allocation_a, 1_000_000)
    with pytest.raises(Conflict):
        pay(staff_a, allocation_a, 1_000_000, expected_version=seen)
    assert fresh(allocation_a).paid == 1_000_000


def test_reversal_corrects_without_touching_the_original(allocation_a, staff_a):
    entry = pay(staff_a, allocation_a, 30_000_000)
    reversal = services.entry_reverse(
        user=staff_a, entry=entry, voucher_number="DC-1", voucher_date=DAY, note="Nhập nhầm số tiền"
    )
    assert reversal.amount == -30_000_000 and reversal.reverses_id == entry.pk
    assert fresh(entry).amount == 30_000_000
    assert fresh(allocation_a).paid == 0
    with pytest.raises(DomainError, match="đã được đảo"):
        services.entry_reverse(user=staff_a, entry=entry, voucher_number="DC-2", voucher_date=DAY, note="x")


@pytest.mark.parametrize(
    "sql",
    ["UPDATE funding_moneyentry SET amount = 1", "DELETE FROM funding_moneyentry"],
)
def test_ledger_rows_cannot_be_updated_or_deleted_even_by_raw_sql(allocation_a, staff_a, sql):
    pay(staff_a, allocation_a, 5_000_000)
    with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert MoneyEntry.objects.get().amount == 5_000_000


# --- settlement --------------------------------------------------------------------------------------
def _settle(user, project, **actual):
    return services.settlement_record(
        user=user,
        project=project,
        year=2026,
        decision_number="QT-01",
        decision_date=dt.date(2027, 1, 10),
        actual=actual,
    )


def test_settlement_before_acceptance_is_refused(allocation_a, staff_a):
    with pytest.raises(DomainError, match="sau khi đề án đã nghiệm thu"):
        _settle(staff_a, allocation_a.project)
    assert not Settlement.objects.exists()


def test_settlement_returns_unspent_money_and_closes_the_ledger(allocation_a, staff_a):
    from projects.models import Project

    pay(staff_a, allocation_a, 140_000_000, kind="advance")
    Project.objects.filter(pk=allocation_a.project_id).update(status="accepted")
    project = Project.objects.get(pk=allocation_a.project_id)
    settlement = _settle(staff_a, project, kcdp=130_000_000, counterpart=190_000_000)
    line = settlement.lines.get(source="kcdp")
    assert (line.allocated, line.disbursed, line.actual, line.returned) == (
        200_000_000,
        140_000_000,
        130_000_000,
        10_000_000,
    )
    assert settlement.lines.get(source="counterpart").actual == 190_000_000
    with pytest.raises(DomainError, match="đã quyết toán"):
        pay(staff_a, allocation_a, 1_000_000)


def test_settlement_above_disbursed_is_refused(allocation_a, staff_a):
    from projects.models import Project

    pay(staff_a, allocation_a, 50_000_000)
    Project.objects.filter(pk=allocation_a.project_id).update(status="accepted")
    with pytest.raises(DomainError, match="vượt số đã chi"):
        _settle(staff_a, Project.objects.get(pk=allocation_a.project_id), kcdp=60_000_000)
    assert not Settlement.objects.exists()


def test_settlement_deadline_warning(project_a):
    assert services.settlement_due(2026) == dt.date(2027, 1, 22)
    assert services.settlement_warning(project_a, [2026], today=dt.date(2026, 11, 1)) is None
    soon = services.settlement_warning(project_a, [2026], today=dt.date(2027, 1, 2))
    assert soon is not None and soon.days_left == 20 and not soon.overdue
    late = services.settlement_warning(project_a, [2026], today=dt.date(2027, 2, 1))
    assert late is not None and late.overdue


# --- deletion is refused where money hangs ---------------------------------------------------------------
def test_deleting_a_project_or_allocation_with_money_is_refused(allocation_a, staff_a):
    pay(staff_a, allocation_a, 1_000_000)
    with pytest.raises(ProtectedError), transaction.atomic():
        allocation_a.project.delete()
    with pytest.raises((ProtectedError, InternalError)), transaction.atomic():
        Allocation.objects.get(pk=allocation_a.pk).delete()
    assert Allocation.objects.filter(pk=allocation_a.pk).exists()


def test_raw_sql_entry_that_would_overspend_is_refused_by_the_database(allocation_a, staff_a):
    """Totals follow every inserted entry by trigger, so the CHECK constraints hold even for raw SQL."""
    sql = (
        "INSERT INTO funding_moneyentry (allocation_id, kind, amount, voucher_number, voucher_date, document,"
        " note, recorded_by_id, recorded_at) VALUES (%s, 'payment', %s, 'SQL', '2026-04-01', '', '', %s, NOW())"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [allocation_a.pk, 50_000_000, staff_a.pk])
    assert fresh(allocation_a).paid == 50_000_000
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [allocation_a.pk, 150_000_001, staff_a.pk])
    assert fresh(allocation_a).paid == 50_000_000


def test_raw_sql_allocation_above_the_envelope_is_refused_by_the_database(project_a, envelope_a):
    from projects.models import Project

    other = money_project(project_a.province, title="Đề án thứ hai")
    assert Project.objects.count() == 2
    sql = (
        "INSERT INTO funding_allocation (project_id, envelope_id, source, year, amount, advanced, recovered, paid,"
        " decision_number, decision_date, version, created_at, updated_at)"
        " VALUES (%s, %s, 'kcdp', 2026, %s, 0, 0, 0, 'SQL', '2026-03-02', 1, NOW(), NOW())"
    )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [other.pk, envelope_a.pk, envelope_a.amount + 1])
    assert fresh(envelope_a).allocated == 0


def test_deleting_a_facility_of_a_funded_project_is_refused(allocation_a, staff_a):
    from projects.models import ProjectBeneficiary
    from tests.factories import project_facility

    facility = project_facility(allocation_a.project.province, "Hợp tác xã dệt thổ cẩm Bản Lác")
    ProjectBeneficiary.objects.create(project=allocation_a.project, facility=facility, added_by=staff_a)
    with pytest.raises(ProtectedError), transaction.atomic():
        facility.delete()
    assert type(facility).objects.filter(pk=facility.pk).exists()


def test_bulk_loaded_rows_with_totals_already_filled_stay_consistent(project_a, envelope_a, staff_a):
    """The triggers recompute sums instead of adding, so a bulk load that fills totals itself
    (benchdata's COPY) ends with the same numbers."""
    cost_plan_line(project_a, amount=100_000_000)
    accept_project = type(project_a).objects.filter(pk=project_a.pk)
    accept_project.update(status="accepted")
    allocation = Allocation.objects.create(
        project=project_a,
        envelope=envelope_a,
        source="kcdp",
        year=2026,
        amount=100_000_000,
        decision_number="1",
        decision_date=DAY,
    )
    Allocation.objects.filter(pk=allocation.pk).update(
        advanced=60_000_000, recovered=60_000_000, paid=90_000_000
    )
    MoneyEntry.objects.bulk_create(
        [
            MoneyEntry(
                allocation=allocation,
                kind=kind,
                amount=amount,
                voucher_number=str(i),
                voucher_date=DAY,
                recorded_by=staff_a,
            )
            for i, (kind, amount) in enumerate(
                [("advance", 60_000_000), ("recovery", 60_000_000), ("payment", 90_000_000)]
            )
        ]
    )
    allocation = fresh(allocation)
    assert (allocation.advanced, allocation.recovered, allocation.paid) == (
        60_000_000,
        60_000_000,
        90_000_000,
    )
    assert fresh(envelope_a).allocated == 100_000_000


def test_cap_ceiling_counts_the_project_beneficiaries_without_a_profile(province_a, staff_a):
    from projects.models import ProjectBeneficiary
    from tests.factories import project_facility

    project = money_project(
        province_a, category="ND45-05", total_cost=200_000_000
    )  # consulting: 50 %, ≤ 35 M
    assert services.cap_check(project, state_share=0).limit == 35_000_000
    for name in ("Hộ kinh doanh mây tre Lạc Sơn", "Hợp tác xã chè Tân Sơn"):
        ProjectBeneficiary.objects.create(
            project=project, facility=project_facility(province_a, name), added_by=staff_a
        )
    assert services.cap_check(project, state_share=0).limit == 70_000_000


def test_admin_edits_and_adds_cap_rules(admin_user, client_for):
    from django.urls import reverse

    admin_user.is_superuser = True  # as the demo's quantri: Django's admin asks for model permissions
    admin_user.save()
    client = client_for(admin_user)
    assert client.get(reverse("admin:funding_supportcaprule_changelist")).status_code == 200
    assert client.get(reverse("admin:funding_supportcaprule_add")).status_code == 200
    assert client.get(reverse("admin:funding_moneyentry_changelist")).status_code == 200
    # Money rows are read-only there: no add, no delete.
    assert client.get(reverse("admin:funding_moneyentry_add")).status_code == 403
