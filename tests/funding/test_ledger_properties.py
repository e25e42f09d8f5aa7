"""Property: whatever sequence of money writes staff make — allocations, advances, payments, recoveries,
reversals, adjustments, settlements, with the project moving along its lifecycle in between — after
every step the money tab, the annual plan, the dashboard (province and nation), the annual report's
totals and a raw SQL sum over the entries agree, and ``reconcile`` finds nothing.

Refused writes are part of the model (the gates and limits say no); the figures must agree after
those too. Each example runs in a transaction that is rolled back, on the same small set-up."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from funding import services
from funding.models import Allocation, MoneyEntry
from funding.reconcile import reconcile
from funding.selectors import annual_plan, project_money
from projects.models import Project
from tests.factories import budget_envelope, cost_plan_line, money_project

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 4, 1)
MILLION = 1_000_000
#: The lifecycle the projects move along between money writes (the status is set directly: the steps'
#: own rules are tested in tests/projects).
LIFECYCLE = ("approved", "contracted", "in_progress", "accepted", "settled")

AMOUNTS = st.integers(min_value=1, max_value=120).map(lambda m: m * MILLION)
PROJECT = st.integers(min_value=0, max_value=2)
SOURCE = st.sampled_from(["kcdp", "kcqg"])
OPS = st.one_of(
    st.tuples(st.just("allocate"), PROJECT, SOURCE, AMOUNTS),
    st.tuples(st.just("advance"), PROJECT, SOURCE, AMOUNTS),
    st.tuples(st.just("payment"), PROJECT, SOURCE, AMOUNTS),
    st.tuples(st.just("recovery"), PROJECT, SOURCE, AMOUNTS),
    st.tuples(st.just("reverse"), PROJECT, st.integers(min_value=0, max_value=5)),
    st.tuples(
        st.just("adjust"), PROJECT, SOURCE, st.integers(min_value=0, max_value=150).map(lambda m: m * MILLION)
    ),
    st.tuples(st.just("step"), PROJECT),
    st.tuples(st.just("settle"), PROJECT),
)


@pytest.fixture
def books(province_a, province_b, manager_a, staff_a, manager_b, staff_b):
    """Three approved projects (training 70 % and cluster 30 % in A, training in B), cost plans of
    150 million per state source, envelopes of 2 billion."""
    projects = [
        money_project(province_a, title="Đào tạo nghề dệt thổ cẩm"),
        money_project(province_a, category="ND45-07", title="Xử lý nước thải cụm công nghiệp"),
        money_project(province_b, title="Đào tạo nghề gốm"),
    ]
    for project in projects:
        for source in ("kcdp", "kcqg"):
            cost_plan_line(project, source=source, amount=150 * MILLION)
            budget_envelope(project.province, level=source)
    people = {province_a.pk: (staff_a, manager_a), province_b.pk: (staff_b, manager_b)}
    return projects, people


def apply(op: tuple[Any, ...], projects: list[Project], people: dict[int, Any], vouchers: Any) -> None:
    """One write through the services; a refusal (DomainError) leaves everything as it was."""
    kind, index = op[0], op[1]
    project = Project.objects.get(pk=projects[index].pk)
    staff, manager = people[project.province_id]
    allocation = None
    if len(op) > 2 and isinstance(op[2], str):
        allocation = Allocation.objects.filter(project=project, source=op[2], year=2026).first()
    try:
        if kind == "allocate":
            services.allocation_create(
                user=manager,
                project=project,
                source=op[2],
                year=2026,
                amount=op[3],
                decision_number="1/QĐ",
                decision_date=DAY,
            )
        elif kind in ("advance", "payment", "recovery") and allocation is not None:
            services.entry_record(
                user=staff,
                allocation=allocation,
                kind=kind,
                amount=op[3],
                voucher_number=f"CT-{next(vouchers)}",
                voucher_date=DAY,
            )
        elif kind == "adjust" and allocation is not None:
            services.allocation_adjust(
                user=manager,
                allocation=allocation,
                amount=op[3],
                decision_number="2/QĐ",
                decision_date=DAY,
                reason="Điều chỉnh",
                expected_version=None,
            )
        elif kind == "reverse":
            entries = list(
                MoneyEntry.objects.filter(allocation__project=project, reverses__isnull=True).order_by("pk")
            )
            if entries:
                services.entry_reverse(
                    user=staff,
                    entry=entries[op[2] % len(entries)],
                    voucher_number=f"DC-{next(vouchers)}",
                    voucher_date=DAY,
                    note="Đảo",
                )
        elif kind == "step" and project.status in LIFECYCLE[:-2]:
            nxt = LIFECYCLE[LIFECYCLE.index(project.status) + 1]
            Project.objects.filter(pk=project.pk).update(status=nxt)
        elif kind == "settle":
            services.settlement_record(
                user=staff, project=project, year=2026, decision_number="QT", decision_date=DAY, actual={}
            )
            Project.objects.filter(pk=project.pk).update(status="settled")
    except DomainError:
        pass


def raw(where: str = "", params: list[Any] | None = None) -> dict[str, int]:
    """Allocated, advanced, recovered and paid, summed straight from the rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT COALESCE(SUM(a.amount), 0),
                   COALESCE(SUM(e.adv), 0), COALESCE(SUM(e.rec), 0), COALESCE(SUM(e.pay), 0)
              FROM funding_allocation a JOIN projects_project p ON p.id = a.project_id
              LEFT JOIN (SELECT allocation_id,
                                SUM(amount) FILTER (WHERE kind = 'advance') adv,
                                SUM(amount) FILTER (WHERE kind = 'recovery') rec,
                                SUM(amount) FILTER (WHERE kind = 'payment') pay
                           FROM funding_moneyentry GROUP BY 1) e ON e.allocation_id = a.id
             WHERE TRUE {where}
            """,
            params or [],
        )
        allocated, advanced, recovered, paid = (int(v) for v in cursor.fetchone())
    return {
        "allocated": allocated,
        "advanced": advanced,
        "recovered": recovered,
        "paid": paid,
        "disbursed": advanced - recovered + paid,
    }


def check_agreement(projects: list[Project], people: dict[int, Any]) -> None:
    from reports.selectors import ledger_figures

    for project in projects:
        project = Project.objects.select_related("category", "province").get(pk=project.pk)
        staff, _manager = people[project.province_id]
        totals = project_money(project, staff).totals
        want = raw("AND p.id = %s", [project.pk])
        assert (totals.amount, totals.advanced, totals.recovered, totals.paid, totals.disbursed) == (
            want["allocated"],
            want["advanced"],
            want["recovered"],
            want["paid"],
            want["disbursed"],
        ), f"money tab of {project.code}"
    nation = {"approved": 0, "disbursed": 0}
    for province in sorted({p.province_id for p in projects}):
        want = raw("AND p.province_id = %s", [province])
        plan = annual_plan(province, 2026).total
        assert (plan.allocated, plan.advanced, plan.recovered, plan.paid, plan.disbursed) == (
            want["allocated"],
            want["advanced"],
            want["recovered"],
            want["paid"],
            want["disbursed"],
        ), f"annual plan of province {province}"
        shown = ledger_figures(province=province)
        assert shown == ledger_figures(province=province, live=True), f"dashboard of province {province}"
        assert (shown["approved"], shown["disbursed"]) == (want["allocated"], want["disbursed"])
        assert shown["advanced_kcdp"] + shown["advanced_kcqg"] == want["advanced"] - want["recovered"]
        assert shown["paid_kcdp"] + shown["paid_kcqg"] == want["paid"]
        report = report_totals(province)
        assert report == (want["allocated"], want["disbursed"]), f"annual report of province {province}"
        nation["approved"] += want["allocated"]
        nation["disbursed"] += want["disbursed"]
    shown = ledger_figures()
    assert shown == ledger_figures(live=True), "national dashboard"
    assert (shown["approved"], shown["disbursed"]) == (nation["approved"], nation["disbursed"])
    want = raw()
    assert (want["allocated"], want["disbursed"]) == (nation["approved"], nation["disbursed"])


def report_totals(province: int) -> tuple[int, int]:
    """State money allocated and disbursed as the province's annual report shows them: the money
    sheet's KCQG + KCĐP rows, which the project list's columns must sum to as well."""
    from reports.kinds.annual import ProvinceAnnualReport, money_rows
    from reports.selectors import Filters, dashboard_facts

    filters = Filters(1900, 2999, province=province)
    rows = money_rows(dashboard_facts(None, filters, single_province=True))
    state = [r for r in rows if r[2] is not None]
    approved, disbursed = sum(r[2] for r in state), sum(r[5] for r in state)
    listed = list(ProvinceAnnualReport()._project_rows(filters))
    assert (sum(r[-2] or 0 for r in listed), sum(r[-1] or 0 for r in listed)) == (approved, disbursed)
    return approved, disbursed


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, min_size=1, max_size=14))
def test_every_figure_equals_the_ledger_after_every_step(books, ops):
    projects, people = books
    vouchers = itertools.count(1)
    with transaction.atomic():
        for op in ops:
            apply(op, projects, people, vouchers)
            check_agreement(projects, people)
        assert reconcile() == []
        transaction.set_rollback(True)
