"""The dashboard's summary tables equal the ledger at every moment (issue 11): triggers keep them in
the same transaction, the cache follows each commit, and ``summary_differences`` names any drift."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from reports.models import MoneyFact, ProjectFact
from reports.selectors import Filters, dashboard_facts
from reports.summary import INDICATORS, refresh_summaries, summary_differences, summary_version
from tests.reports.conftest import TR

pytestmark = pytest.mark.django_db

ALL_YEARS = Filters(2000, 2100)


def same_figures(a, b) -> None:
    assert a.status_counts == b.status_counts
    assert a.money == b.money
    assert a.money_by_year == b.money_by_year
    assert a.categories == b.categories
    assert a.category_level == b.category_level
    assert a.areas == b.areas
    assert a.facilities_supported == b.facilities_supported
    for kind in INDICATORS:
        assert a.indicator(kind) == b.indicator(kind)
        assert a.indicator(kind, "planned") == b.indicator(kind, "planned")


def agree(*users) -> None:
    """Summary == live for every user given, and the tables equal the ledger row by row."""
    assert summary_differences() == []
    for user in users:
        for filters in (ALL_YEARS, Filters(2022, 2026)):
            same_figures(dashboard_facts(user, filters, live=False), dashboard_facts(user, filters))


@pytest.mark.parametrize(
    "filters",
    [
        Filters(2022, 2026),
        Filters(2017, 2026),
        Filters(2025, 2025, funding_level="kcqg"),
        Filters(2022, 2026, kind="thuong"),
    ],
    ids=["five-years", "ten-years", "kcqg-2025", "kind"],
)
def test_summary_equals_live_without_any_rebuild(dataset, national_manager, manager_a, manager_b, filters):
    for user in (national_manager, manager_a, manager_b):
        same_figures(dashboard_facts(user, filters, live=False), dashboard_facts(user, filters))
    assert summary_differences() == []


def test_summary_category_filter_includes_combined_contents(dataset, national_manager):
    from projects.models import ActivityCategory

    training = ActivityCategory.objects.get(code="ND45-01")
    dataset.p2.extra_categories.add(training)  # the machinery project also trains
    filters = Filters(2022, 2026, category=training.pk)
    summary = dashboard_facts(national_manager, filters, live=False)
    same_figures(summary, dashboard_facts(national_manager, filters))
    assert summary.project_count == 3  # P1, P5 (training) and P2 (combined)


def _payable(project) -> None:
    """Accepted: whatever gate the ledger applies, the rest of the money is payable now."""
    from projects.models import Project

    Project.objects.filter(pk=project.pk).update(status="accepted")


def _pay(project, amount, user, number="PC-01") -> None:
    from funding.models import MoneyEntry

    allocation = project.allocations.get()
    MoneyEntry.objects.create(
        allocation=allocation,
        kind="payment",
        amount=amount,
        voucher_number=number,
        voucher_date=dt.date(2026, 5, 1),
        recorded_by=user,
    )


def test_every_kind_of_change_reaches_the_summary_in_the_same_transaction(
    dataset, national_manager, manager_a, staff_a
):
    from funding.models import Allocation, CostPlanLine, SettlementLine
    from projects.models import Project, ProjectBeneficiary, ProjectIndicator

    agree(national_manager, manager_a)
    _payable(dataset.p1)
    # A ledger entry → the allocation's totals (recomputed from the entries: the data set's totals
    # were written without entries, so P1 now has 10 tr paid and no advance) → the summary.
    _pay(dataset.p1, 10 * TR, staff_a)
    assert dashboard_facts(manager_a, ALL_YEARS, live=False).money["kcdp"].paid == 110 * TR  # + P4's 100
    agree(national_manager, manager_a)
    CostPlanLine.objects.filter(project=dataset.p1, source="kcdp").update(amount=250 * TR)  # plan first
    Allocation.objects.filter(project=dataset.p1).update(amount=250 * TR)  # an adjustment
    CostPlanLine.objects.filter(project=dataset.p1, source="counterpart").update(amount=175 * TR)
    SettlementLine.objects.filter(source="kcqg").update(actual=280 * TR, returned=20 * TR)
    ProjectIndicator.objects.filter(project=dataset.p1, kind="trainees").update(actual=29)
    ProjectBeneficiary.objects.filter(project=dataset.p1, facility=dataset.f2).delete()
    agree(national_manager, manager_a)
    assert dashboard_facts(manager_a, ALL_YEARS, live=False).indicator("trainees") == 29
    Project.objects.filter(pk=dataset.p3.pk).update(status="appraised")
    dataset.p1.communes.clear()  # the area chart reads the project's communes
    agree(national_manager, manager_a)
    Project.objects.filter(pk=dataset.p1.pk).update(title="Tên mới")  # not a dimension: nothing to do
    agree(national_manager, manager_a)


def test_a_project_moved_to_another_province_leaves_the_first_one(
    dataset, national_manager, manager_a, manager_b, province_b
):
    from projects.models import Project

    before = dashboard_facts(manager_b, ALL_YEARS, live=False).project_count
    Project.objects.filter(pk=dataset.p3.pk).update(province=province_b)
    assert dashboard_facts(manager_b, ALL_YEARS, live=False).project_count == before + 1
    agree(national_manager, manager_a, manager_b)


def test_raw_sql_is_followed_too(dataset, manager_a):
    """The triggers hold whatever path writes (raw SQL, admin, a bulk update)."""
    with connection.cursor() as cursor:
        cursor.execute(  # the plan first: an allocation never exceeds its cost plan line (funding.gates)
            "UPDATE funding_costplanline SET amount = amount + 1 WHERE project_id = %s AND source = 'kcdp'",
            [dataset.p1.pk],
        )
        cursor.execute(
            "UPDATE funding_allocation SET amount = amount + 1 WHERE project_id = %s", [dataset.p1.pk]
        )
    assert dashboard_facts(manager_a, ALL_YEARS, live=False).money["kcdp"].approved == 300 * TR + 1
    assert summary_differences() == []


def test_differences_are_named_and_a_rebuild_repairs_them(dataset):
    with connection.cursor() as cursor:  # corrupt the tables behind the triggers' back
        cursor.execute("ALTER TABLE reports_projectfact DISABLE TRIGGER USER")
        cursor.execute("UPDATE reports_projectfact SET approved = 1 WHERE project_id = %s", [dataset.p1.pk])
        cursor.execute("DELETE FROM reports_moneyfact WHERE project_id = %s", [dataset.p2.pk])
        cursor.execute("ALTER TABLE reports_projectfact ENABLE TRIGGER USER")
    problems = summary_differences()
    assert (
        f"reports_projectfact (project_id={dataset.p1.pk}).approved: 1 ≠ sổ kinh phí {200 * TR}" in problems
    )
    assert any(p.startswith(f"reports_moneyfact (project_id={dataset.p2.pk}, year=2025") for p in problems)
    refresh_summaries()
    assert summary_differences() == []


def test_refresh_replaces_rather_than_adds(dataset):
    first = (ProjectFact.objects.count(), MoneyFact.objects.count())
    state = refresh_summaries()
    assert (ProjectFact.objects.count(), MoneyFact.objects.count()) == first
    assert state.projects == 5


def test_a_transaction_that_changed_figures_reads_around_the_cache(dataset, manager_a, staff_a):
    """Inside the transaction that wrote (here: the test's), the figures are not cacheable yet."""
    assert summary_version(manager_a.province_id) is None
    _payable(dataset.p1)
    _pay(dataset.p1, 10 * TR, staff_a)
    assert dashboard_facts(manager_a, ALL_YEARS, live=False).money["kcdp"].paid == 110 * TR


def test_the_dashboard_says_its_figures_are_live(dataset, client_for, manager_a):
    response = client_for(manager_a).get(reverse("reports:dashboard"))
    assert response.context["facts"].approved == 500 * TR
    assert "Số liệu trực tiếp" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_after_a_commit_the_next_request_shows_the_payment(
    province_a,
    province_b,
    staff_a,
    staff_b,
    manager_a,
    national_manager,
    client_for,
    django_assert_max_num_queries,
):
    """Committed for real (no test transaction): the cache is used, and each commit moves the key."""
    from tests.reports.conftest import build_dataset

    data = build_dataset(province_a, province_b, staff_a, staff_b)
    _payable(data.p1)
    for user in (manager_a, national_manager):
        client = client_for(user)
        client.get(reverse("reports:dashboard"))  # fills the cache
        province = None if user is national_manager else user.province_id
        version = summary_version(province)
        assert version is not None
        with django_assert_max_num_queries(2):  # the version, then the cached rows
            dashboard_facts(user, Filters(2022, 2026), live=False)
    for amount, number in ((10 * TR, "PC-1"), (5 * TR, "PC-2")):
        _pay(data.p1, amount, staff_a, number=number)  # autocommit: its own transaction
        for user in (manager_a, national_manager):
            page = client_for(user).get(reverse("reports:dashboard"))
            assert page.context["facts"].money["kcdp"].paid == (
                dashboard_facts(user, Filters(2022, 2026)).money["kcdp"].paid
            )
    assert dashboard_facts(manager_a, Filters(2022, 2026), live=False).money["kcdp"].paid == 15 * TR
    # another province's commit moves the nation's figures but not Phú Thọ's key
    mine = summary_version(manager_a.province_id)
    nation = summary_version(None)
    from funding.models import Allocation, CostPlanLine

    CostPlanLine.objects.filter(project=data.p5, source="kcdp").update(amount=600 * TR)  # plan first
    Allocation.objects.filter(project=data.p5).update(amount=600 * TR)
    assert summary_version(manager_a.province_id) == mine
    assert summary_version(None) != nation


def test_ledger_figures_equal_a_plain_sum_over_the_entries(dataset, province_a, staff_a):
    """The flat figures reconcile and the property test compare (both sources, province and nation)."""
    from django.db.models import Sum

    from funding.models import MoneyEntry
    from reports.selectors import ledger_figures

    _payable(dataset.p1)
    _pay(dataset.p1, 10 * TR, staff_a)
    for province in (province_a.pk, None):
        summary = ledger_figures(province=province)
        assert summary == ledger_figures(province=province, live=True)
    entries = MoneyEntry.objects.filter(allocation__project=dataset.p1, kind="payment")
    assert entries.aggregate(s=Sum("amount"))["s"] == 10 * TR
    nation = ledger_figures()
    assert nation["paid_kcdp"] == 10 * TR + 100 * TR  # P1's entry, P4's loaded total
    assert nation["approved"] == 200 * TR + 300 * TR + 100 * TR + 500 * TR
    assert nation["facilities_supported"] == 2
