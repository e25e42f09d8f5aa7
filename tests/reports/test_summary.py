"""The dashboard's summary tables give exactly the live figures, and the page says how fresh they are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import MoneyFact, ProjectFact
from reports.selectors import Filters, dashboard_facts
from reports.summary import INDICATORS, refresh_summaries
from tests.reports.conftest import TR

pytestmark = pytest.mark.django_db


def same_figures(a, b) -> None:  # type: ignore[no-untyped-def]
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
def test_summary_equals_live(dataset, national_manager, manager_a, manager_b, filters):
    refresh_summaries()
    for user in (national_manager, manager_a, manager_b):
        summary = dashboard_facts(user, filters, live=False)
        assert summary.refreshed_at is not None
        same_figures(summary, dashboard_facts(user, filters))


def test_summary_category_filter_includes_combined_contents(dataset, national_manager):
    from projects.models import ActivityCategory

    training = ActivityCategory.objects.get(code="ND45-01")
    dataset.p2.extra_categories.add(training)  # the machinery project also trains
    refresh_summaries()
    filters = Filters(2022, 2026, category=training.pk)
    summary = dashboard_facts(national_manager, filters, live=False)
    same_figures(summary, dashboard_facts(national_manager, filters))
    assert summary.project_count == 3  # P1, P5 (training) and P2 (combined)


def test_refresh_replaces_rather_than_adds(dataset):
    refresh_summaries()
    first = (ProjectFact.objects.count(), MoneyFact.objects.count())
    state = refresh_summaries()
    assert (ProjectFact.objects.count(), MoneyFact.objects.count()) == first
    assert state.projects == 5


def test_dashboard_reads_the_summary_and_shows_its_time(
    dataset, client_for, manager_a, django_assert_max_num_queries
):
    refresh_summaries()
    client = client_for(manager_a)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reports:dashboard"))
    assert response.context["facts"].refreshed_at is not None
    assert response.context["facts"].approved == 500 * TR
    assert "Số liệu tổng hợp lúc" in response.content.decode()


def test_without_summary_the_dashboard_is_live(dataset, client_for, manager_a):
    response = client_for(manager_a).get(reverse("reports:dashboard"))
    assert response.context["facts"].refreshed_at is None
    assert "Số liệu trực tiếp" in response.content.decode()


def test_cached_figures_follow_each_rebuild(dataset, manager_a, province_a, django_assert_max_num_queries):
    from funding.models import Allocation

    refresh_summaries()
    before = dashboard_facts(manager_a, Filters(2022, 2026), live=False)
    with django_assert_max_num_queries(1):  # the build time only; the rows come from the cache
        again = dashboard_facts(manager_a, Filters(2022, 2026), live=False)
    assert again.approved == before.approved == 500 * TR
    Allocation.objects.filter(project=dataset.p1).update(amount=250 * TR)
    assert dashboard_facts(manager_a, Filters(2022, 2026), live=False).approved == 500 * TR  # until rebuilt
    refresh_summaries()
    assert dashboard_facts(manager_a, Filters(2022, 2026), live=False).approved == 550 * TR


def test_warm_cache_covers_the_nation_and_each_province_in_use(
    dataset, national_manager, manager_a, django_assert_max_num_queries
):
    from reports.selectors import default_year_range
    from reports.summary import warm_cache

    refresh_summaries()
    assert warm_cache() == 3  # the nation, Phú Thọ, Hà Nội
    y1, y2 = default_year_range()
    with django_assert_max_num_queries(2):  # one build-time read each; the rows come from the cache
        dashboard_facts(national_manager, Filters(y1, y2), live=False)
        dashboard_facts(manager_a, Filters(y1, y2, province=manager_a.province_id), live=False)
