"""Another system's exchange: with a province token, pull the projects updated since a date page by
page (cursor), then their allocations, and reconcile the totals with the dashboard's figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import Project
from tests.factories import ProjectFactory, funded_allocation, money_project

pytestmark = pytest.mark.django_db


def _pull(api, key: str, url: str, params: dict) -> list[dict]:
    rows: list[dict] = []
    response = api(key).get(url, {**params, "page_size": 2})
    while True:
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        response = api(key).get(body["next"])


def test_pull_projects_updated_since_and_reconcile_with_the_dashboard(
    api, read_a, province_a, province_b, staff_a, manager_a, manager_b
):
    from api.serializers.dashboard import facts_payload
    from reports.selectors import Filters, dashboard_facts

    since = timezone.now() - dt.timedelta(days=1)
    stale = money_project(province_a, title="Đề án cũ, không đổi")
    funded_allocation(stale, manager_a, amount=50_000_000)
    Project.objects.filter(pk=stale.pk).update(updated_at=since - dt.timedelta(days=30))
    fresh = [money_project(province_a, title=f"Đề án mới {i}") for i in range(3)]
    for i, project in enumerate(fresh):
        funded_allocation(project, manager_a, amount=(i + 1) * 40_000_000)
    ProjectFactory.create(province=province_a, created_by=staff_a)  # a draft, no money
    other = money_project(province_b, title="Đề án tỉnh khác")
    funded_allocation(other, manager_b, amount=999_000_000)

    key = read_a[1]
    pulled = _pull(api, key, reverse("api:project_list"), {"updated_since": since.isoformat(), "year": 2026})
    pulled_ids = {p["id"] for p in pulled}
    assert {p.pk for p in fresh} <= pulled_ids
    assert stale.pk not in pulled_ids and other.pk not in pulled_ids
    assert all(p["province"]["code"] == province_a.pk for p in pulled)

    # The full picture (no date): every project of the province and every allocation, reconciled.
    everything = _pull(api, key, reverse("api:project_list"), {"year": 2026})
    allocations = _pull(api, key, reverse("api:allocation_list"), {"year": 2026})
    dashboard = api(key).get(reverse("api:dashboard"), {"year_from": 2026, "year_to": 2026}).json()
    facts = dashboard_facts(manager_a, Filters(2026, 2026))
    assert dashboard == facts_payload(facts)
    assert len(everything) == dashboard["project_count"]
    assert sum(a["amount"] for a in allocations) == dashboard["approved"] == 50_000_000 + 240_000_000
    assert sum(a["disbursed"] for a in allocations) == dashboard["disbursed"]
    by_status: dict[str, int] = {}
    for p in everything:
        by_status[p["status"]] = by_status.get(p["status"], 0) + 1
    assert by_status == dashboard["status_counts"]
    decided = {p["id"] for p in everything if p["decision"]["number"]}
    assert len(decided) == dashboard["decided_count"]
