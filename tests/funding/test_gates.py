"""Money gated by the lifecycle (funding.gates): every state × every kind of money write, through the
services and against the database's own triggers, plus the amount rules that follow the lifecycle."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from core.errors import DomainError
from funding import gates, services
from funding.gates import GATES, MoneyAction
from funding.models import Allocation, CostPlanLine, MoneyEntry, Settlement
from projects.models import Project, ProjectStatus
from projects.workflow import STATES
from tests.factories import budget_envelope, cost_plan_line, funded_allocation, money_project

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 4, 1)
_N = itertools.count(1)


def voucher() -> str:
    return f"CT-{next(_N)}"


def set_status(project: Project, status: str) -> None:
    Project.objects.filter(pk=project.pk).update(status=status)
    project.status = status


@pytest.fixture
def ledger(province_a, manager_a, staff_a):
    """An accepted training project (200 million KCĐP 2026, an advance of 10 million), ready to be put
    in any state; a KCQG line and envelope so a second allocation is possible."""
    project = money_project(province_a, status="accepted", title="Đào tạo nghề dệt thổ cẩm")
    allocation = funded_allocation(project, manager_a, amount=200_000_000)
    cost_plan_line(project, amount=250_000_000)
    cost_plan_line(project, source="kcqg", amount=50_000_000)
    budget_envelope(province_a, level="kcqg")
    advance = services.advance_record(
        user=staff_a, allocation=allocation, amount=10_000_000, voucher_number="TU-1", voucher_date=DAY
    )
    return project, allocation, advance


def attempt(action: str, project, allocation, advance, staff, manager):
    """Try ``action`` once, through its service."""
    allocation = Allocation.objects.get(pk=allocation.pk)
    if action == MoneyAction.ALLOCATION:
        return services.allocation_create(
            user=manager,
            project=project,
            source="kcqg",
            year=2026,
            amount=50_000_000,
            decision_number="9/QĐ",
            decision_date=DAY,
        )
    if action == MoneyAction.ADJUSTMENT:
        return services.allocation_adjust(
            user=manager,
            allocation=allocation,
            amount=210_000_000,
            decision_number="10/QĐ",
            decision_date=DAY,
            reason="Bổ sung",
            expected_version=None,
        )
    if action in (MoneyAction.ADVANCE, MoneyAction.PAYMENT, MoneyAction.RECOVERY):
        return services.entry_record(
            user=staff,
            allocation=allocation,
            kind=action,
            amount=1_000_000,
            voucher_number=voucher(),
            voucher_date=DAY,
        )
    if action == MoneyAction.REVERSAL:
        return services.entry_reverse(
            user=staff, entry=advance, voucher_number=voucher(), voucher_date=DAY, note="Nhập nhầm"
        )
    assert action == MoneyAction.SETTLEMENT
    return services.settlement_record(
        user=staff, project=project, year=2026, decision_number="QT-1", decision_date=DAY, actual={}
    )


def footprint() -> tuple[int, ...]:
    return (
        Allocation.objects.count(),
        MoneyEntry.objects.count(),
        Settlement.objects.count(),
        sum(Allocation.objects.values_list("amount", flat=True)),
    )


CASES = [(state, action) for state in STATES for action in MoneyAction.values]


@pytest.mark.parametrize(("state", "action"), CASES)
def test_every_state_and_kind_of_money_write_follows_the_gate(ledger, staff_a, manager_a, state, action):
    project, allocation, advance = ledger
    set_status(project, state)
    before = footprint()
    if GATES[action].allows(state):
        attempt(action, project, allocation, advance, staff_a, manager_a)
        assert footprint() != before
    else:
        with pytest.raises(DomainError) as err:
            attempt(action, project, allocation, advance, staff_a, manager_a)
        # The refusal names the rule and the state the project is in.
        assert str(GATES[action].rule) in err.value.message
        assert str(ProjectStatus(state).label) in err.value.message
        assert err.value.code == f"gate_{action}"
        assert footprint() == before


def test_the_gates_follow_the_workflow_facts():
    from projects import workflow

    assert GATES[MoneyAction.ALLOCATION].states == workflow.PAYABLE_STATES
    assert GATES[MoneyAction.ADVANCE].states == workflow.CONTRACTED_STATES
    assert "approved" not in GATES[MoneyAction.PAYMENT].states  # no payment without a contract
    assert "settled" not in GATES[MoneyAction.PAYMENT].states
    assert GATES[MoneyAction.RECOVERY].states == GATES[MoneyAction.ADVANCE].states
    assert gates.CEILING_STATES == ("contracted", "in_progress")
    assert GATES[MoneyAction.SETTLEMENT].states == workflow.SETTLEABLE_STATES


def test_nothing_is_written_once_a_settlement_is_recorded(ledger, staff_a, manager_a):
    project, allocation, advance = ledger
    services.settlement_record(
        user=staff_a, project=project, year=2026, decision_number="QT-1", decision_date=DAY, actual={}
    )
    for action in (MoneyAction.PAYMENT, MoneyAction.ADVANCE, MoneyAction.REVERSAL, MoneyAction.ADJUSTMENT):
        with pytest.raises(DomainError, match="Đề án đã quyết toán"):
            attempt(action, project, allocation, advance, staff_a, manager_a)


# --- The database holds the same gates (raw SQL, past the services) ----------------------------------
def raw_entry(allocation_id: int, kind: str, amount: int, reverses: int | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO funding_moneyentry (allocation_id, kind, amount, voucher_number, voucher_date, "
            "document, note, reverses_id, recorded_by_id, recorded_at) "
            "SELECT %s, %s, %s, %s, %s, '', '', %s, id, NOW() FROM accounts_user LIMIT 1",
            [allocation_id, kind, amount, voucher(), DAY, reverses],
        )


ENTRY_ACTIONS = (MoneyAction.ADVANCE, MoneyAction.PAYMENT, MoneyAction.RECOVERY, MoneyAction.REVERSAL)


@pytest.mark.parametrize(("state", "action"), [(s, a) for s in STATES for a in ENTRY_ACTIONS])
def test_the_database_refuses_a_ledger_entry_in_a_state_its_gate_does_not_allow(ledger, state, action):
    project, allocation, advance = ledger
    set_status(project, state)
    args: tuple[Any, ...]
    if action == MoneyAction.REVERSAL:
        args = (allocation.pk, "advance", -advance.amount, advance.pk)
    else:
        args = (allocation.pk, action, 1_000_000)
    before = MoneyEntry.objects.count()
    if GATES[action].allows(state):
        raw_entry(*args)
        assert MoneyEntry.objects.count() == before + 1
    else:
        with pytest.raises(IntegrityError, match="money gate"), transaction.atomic():
            raw_entry(*args)
        assert MoneyEntry.objects.count() == before


@pytest.mark.parametrize("state", STATES)
def test_the_database_refuses_an_allocation_or_settlement_outside_its_gate(ledger, state):
    project, _allocation, _advance = ledger
    set_status(project, state)
    envelope = budget_envelope(project.province, level="kcqg")
    insert = (
        "INSERT INTO funding_allocation (project_id, envelope_id, source, year, amount, advanced, recovered, "
        "paid, decision_number, decision_date, version, created_at, updated_at) "
        "VALUES (%s, %s, 'kcqg', 2026, 50000000, 0, 0, 0, '1', %s, 1, NOW(), NOW())"
    )
    settle = (
        "INSERT INTO funding_settlement (project_id, year, decision_number, decision_date, note, "
        "recorded_by_id, recorded_at) SELECT %s, 2026, 'QT', %s, '', id, NOW() FROM accounts_user LIMIT 1"
    )
    for action, sql, params in (
        (MoneyAction.ALLOCATION, insert, [project.pk, envelope.pk, DAY]),
        (MoneyAction.SETTLEMENT, settle, [project.pk, DAY]),
    ):
        if GATES[action].allows(state):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
                transaction.set_rollback(True)
        else:
            with (
                pytest.raises(IntegrityError, match="money gate"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql, params)


# --- Amounts that follow the lifecycle ----------------------------------------------------------------
def test_before_acceptance_advances_and_payments_together_stay_within_the_ceiling(
    province_a, manager_a, staff_a
):
    project = money_project(province_a, status="in_progress")
    allocation = funded_allocation(project, manager_a, amount=200_000_000)  # 70 % = 140 million

    def pay(kind: str, amount: int) -> MoneyEntry:
        return services.entry_record(
            user=staff_a,
            allocation=allocation,
            kind=kind,
            amount=amount,
            voucher_number=voucher(),
            voucher_date=DAY,
        )

    pay("advance", 100_000_000)
    pay("payment", 40_000_000)
    with pytest.raises(DomainError) as err:
        pay("payment", 1)
    assert err.value.message.startswith("Chỉ được thanh toán phần còn lại sau khi nghiệm thu")
    assert "Đang triển khai" in err.value.message and "140.000.000 ₫" in err.value.message
    assert err.value.field == "amount"
    # A recovery frees room under the ceiling; the reversal of that recovery is held by it again.
    recovery = pay("recovery", 20_000_000)
    pay("payment", 20_000_000)
    with pytest.raises(DomainError, match="sau khi nghiệm thu"):
        services.entry_reverse(
            user=staff_a, entry=recovery, voucher_number=voucher(), voucher_date=DAY, note="x"
        )
    # The database holds the same ceiling.
    with pytest.raises(IntegrityError, match="money gate"), transaction.atomic():
        raw_entry(allocation.pk, "payment", 1)
    # From acceptance the rest is payable, up to the allocation.
    set_status(project, "accepted")
    pay("payment", 60_000_000)
    assert Allocation.objects.get(pk=allocation.pk).remaining == 0


def test_payable_now_shows_what_the_gate_allows(province_a, manager_a, staff_a):
    project = money_project(province_a, status="approved")
    allocation = funded_allocation(project, manager_a, amount=200_000_000)
    project.refresh_from_db()
    assert services.payable_now(allocation, project) == 0
    set_status(project, "in_progress")
    assert services.payable_now(allocation, project) == 140_000_000
    set_status(project, "accepted")
    assert services.payable_now(allocation, project) == 200_000_000


def test_allocation_above_the_cost_plan_line_of_its_source_is_refused(province_a, manager_a):
    """The issue's case: 100 million KCĐP on a project whose cost plan has no KCĐP money."""
    project = money_project(province_a, status="approved")
    budget_envelope(province_a, level="kcdp")
    CostPlanLine.objects.create(project=project, source="kcqg", year=2026, amount=200_000_000)
    with pytest.raises(DomainError) as err:
        services.allocation_create(
            user=manager_a,
            project=project,
            source="kcdp",
            year=2026,
            amount=100_000_000,
            decision_number="1",
            decision_date=DAY,
        )
    assert "vượt kế hoạch kinh phí của nguồn này" in err.value.message and "0 ₫" in err.value.message
    assert not Allocation.objects.exists()
    with pytest.raises(IntegrityError, match="cost plan"), transaction.atomic():
        Allocation.objects.create(
            project=project,
            envelope=budget_envelope(province_a),
            source="kcdp",
            year=2026,
            amount=100_000_000,
            decision_number="1",
            decision_date=DAY,
        )


def test_cost_plan_cannot_drop_below_what_was_allocated(province_a, manager_a, staff_a):
    project = money_project(province_a, status="approved")
    funded_allocation(project, manager_a, amount=200_000_000)
    with pytest.raises(DomainError, match="thấp hơn kinh phí đã giao") as err:
        services.cost_plan_save(
            user=staff_a,
            project=project,
            rows={2026: {"kcdp": 100_000_000, "counterpart": None}},
            eligible_cost=None,
            facilities=1,
            priority_area=False,
            technology_line=False,
            expected_version=None,
        )
    assert err.value.field == "kcdp_2026"
    assert CostPlanLine.objects.get(project=project, source="kcdp").amount == 200_000_000


def test_the_database_refuses_a_cost_plan_that_no_longer_covers_its_allocation_at_commit(
    province_a, manager_a
):
    project = money_project(province_a, status="approved")
    funded_allocation(project, manager_a, amount=200_000_000)
    with pytest.raises(IntegrityError, match="no longer covers"), transaction.atomic():
        CostPlanLine.objects.filter(project=project, source="kcdp").update(amount=1)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_voucher_number_is_unique_per_allocation_and_year(ledger, staff_a, manager_a, province_a):
    project, allocation, _advance = ledger
    with pytest.raises(DomainError) as err:
        services.payment_record(
            user=staff_a, allocation=allocation, amount=1_000_000, voucher_number=" TU-1 ", voucher_date=DAY
        )
    assert err.value.field == "voucher_number" and "TU-1" in err.value.message
    with pytest.raises(IntegrityError), transaction.atomic():
        MoneyEntry.objects.create(
            allocation=allocation,
            kind="payment",
            amount=1,
            voucher_number="TU-1",
            voucher_date=dt.date(2026, 12, 31),
            recorded_by=staff_a,
        )
    # The same number in another year, or on another allocation, is another voucher.
    services.payment_record(
        user=staff_a,
        allocation=allocation,
        amount=1_000_000,
        voucher_number="TU-1",
        voucher_date=dt.date(2027, 1, 5),
    )
    other = services.allocation_create(
        user=manager_a,
        project=project,
        source="kcqg",
        year=2026,
        amount=50_000_000,
        decision_number="9",
        decision_date=DAY,
    )
    services.payment_record(
        user=staff_a, allocation=other, amount=1_000_000, voucher_number="TU-1", voucher_date=DAY
    )


def test_a_duplicate_voucher_gets_a_message_beside_the_field(client_for, ledger, staff_a):
    _project, allocation, _advance = ledger
    response = client_for(staff_a).post(
        reverse("funding:payment_create", kwargs={"pk": allocation.pk}),
        {"amount": "1.000.000", "voucher_number": "TU-1", "voucher_date": "01/04/2026"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "đã được ghi cho kinh phí giao này trong năm 2026" in html
    assert 'id="error_1_id_voucher_number"' in html or "is-invalid" in html
    assert MoneyEntry.objects.count() == 1


@pytest.mark.parametrize(("state", "buttons"), [("approved", False), ("in_progress", True)])
def test_the_money_tab_offers_entries_only_where_the_gate_allows(
    client_for, staff_a, manager_a, province_a, state, buttons
):
    project = money_project(province_a, status=state)
    allocation = funded_allocation(project, manager_a, amount=200_000_000)
    html = (
        client_for(staff_a)
        .get(reverse("funding:project_money", kwargs={"project_pk": project.pk}))
        .content.decode()
    )
    assert (reverse("funding:payment_create", kwargs={"pk": allocation.pk}) in html) is buttons
    if not buttons:
        assert "Chỉ được thanh toán sau khi ký hợp đồng" in html
