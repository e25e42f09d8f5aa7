"""Every drill-down of the dashboard lands on exactly the rows its figure counted (issue 11): the
number beside a link equals the number of projects the linked list shows, and a money figure equals
the money of the listed projects."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

import pytest
from django.db.models import Sum
from django.urls import reverse

from tests.reports.conftest import TR

pytestmark = pytest.mark.django_db


def _listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.context["filter"].is_valid(), (url, response.context["filter"].errors)
    return response.context["paginator"].count, list(
        response.context["filter"].qs.values_list("pk", flat=True)
    )


def _state_money(ids, year=None):
    from funding.models import Allocation

    rows = Allocation.objects.filter(project_id__in=ids)
    if year is not None:
        rows = rows.filter(year=year)
    return rows.aggregate(s=Sum("amount"))["s"] or 0


def _planned_other(ids, year):
    from funding.models import CostPlanLine

    rows = CostPlanLine.objects.filter(project_id__in=ids, year=year, source__in=("counterpart", "other"))
    return rows.aggregate(s=Sum("amount"))["s"] or 0


def _page_links(text: str, list_path: str) -> set[str]:
    """Every link to the project list on the page: the anchors and the charts' bars."""
    hrefs = [urlsplit(html.unescape(h)) for h in re.findall(r'href="([^"]+)"', text)]
    # the menu's plain link to the list is not a figure's drill-down
    links = {h.geturl() for h in hrefs if h.path == list_path and h.query}
    data = re.search(r'<script id="kc-dashboard-data" type="application/json">(.*?)</script>', text, re.S)
    assert data, "the charts' data is on the page"
    for chart in json.loads(data.group(1)).values():
        links |= {link for link in chart.get("links", []) if link}
    return links


def check_every_link(client, params=None):
    response = client.get(reverse("reports:dashboard"), params or {})
    assert response.status_code == 200
    ctx = response.context
    facts = ctx["facts"]
    checked: set[str] = set()

    def count(url, expected):
        n, ids = _listed(client, url)
        assert n == expected, (url, n, expected)
        checked.add(url)
        return ids

    count(ctx["links"]["all"], facts.project_count)
    count(ctx["links"]["decided"], facts.decided_count)
    funded = count(ctx["links"]["funded"], len(_listed(client, ctx["links"]["funded"])[1]))
    assert _state_money(funded) == facts.approved  # the money cards' rows
    for row in ctx["status_rows"]:
        count(row["url"], row["count"])
    for row in ctx["funnel"]:
        count(row["url"], row["count"])
    for row in ctx["levels"]:
        if row["url"]:
            count(row["url"], row["count"])
    for row in ctx["categories"]:
        ids = count(row["url"], row["projects"])
        assert _state_money(ids) == row["approved"]
    for row in ctx["areas"]:
        ids = count(row["url"], row["projects"])
        assert _state_money(ids) == row["approved"]
    by_year = ctx["charts"]["byYear"]
    for i, (year, url) in enumerate(zip(by_year["labels"], by_year["links"], strict=True)):
        _n, ids = _listed(client, url)
        checked.add(url)
        bar = sum(dataset["data"][i] for dataset in by_year["datasets"])
        assert _state_money(ids, year) + _planned_other(ids, year) == bar, (year, url)
    for name in ("byCategory", "byArea", "funnel"):
        assert set(ctx["charts"][name]["links"]) <= checked, name
    unchecked = _page_links(response.content.decode(), reverse("projects:project_list")) - checked
    assert not unchecked, unchecked
    return facts


def test_province_dashboard_links(dataset, client_for, manager_a, province_a):
    check_every_link(client_for(manager_a))
    check_every_link(client_for(manager_a), {"year_from": 2017, "year_to": 2026, "province": province_a.pk})


def test_national_dashboard_links(dataset, client_for, national_manager, province_a):
    check_every_link(client_for(national_manager))
    check_every_link(
        client_for(national_manager), {"year_from": 2025, "year_to": 2025, "funding_level": "kcdp"}
    )


def test_a_combined_content_is_not_counted_twice(dataset, client_for, national_manager):
    """The probe's "a bar of 7 opened a list of 8": a machinery project that also trains is in the
    training filter of the list, but the chart puts it under machinery only."""
    from projects.models import ActivityCategory

    training = ActivityCategory.objects.get(code="ND45-01")
    dataset.p2.extra_categories.add(training)
    facts = check_every_link(client_for(national_manager))
    assert facts.project_count == 4
    facts = check_every_link(
        client_for(national_manager), {"year_from": 2022, "year_to": 2026, "category": training.pk}
    )
    assert facts.project_count == 3


def test_reached_counts_projects_past_the_step(dataset, client_for, manager_a):
    """The probe's "Đã phê duyệt 5 → 0 projects": the funnel counts every project that went through
    approval (here P1 approved and P2 settled), and its link lists exactly them."""
    client = client_for(manager_a)
    response = client.get(reverse("reports:dashboard"))
    approved = next(f for f in response.context["funnel"] if f["key"] == "approved")
    assert approved["count"] == 2
    assert "reached=approved" in approved["url"]
    _n, ids = _listed(client, approved["url"])
    assert sorted(ids) == sorted([dataset.p1.pk, dataset.p2.pk])
    listing = client.get(approved["url"]).content.decode()
    assert "Đã qua bước: Đã phê duyệt" in listing  # the list says why it holds these rows


def test_money_year_lists_the_projects_of_that_years_money(dataset, client_for, manager_a):
    client = client_for(manager_a)
    url = reverse("projects:project_list") + "?year_from=2022&year_to=2026&money_year=2025"
    _n, ids = _listed(client, url)
    assert ids == [dataset.p2.pk]
    assert _state_money(ids, 2025) == 300 * TR


@pytest.mark.parametrize(
    "params",
    [{"reached": "nonsense"}, {"money_year": "abc"}, {"main_category": "999999"}, {"decided": "2"}],
)
def test_bad_drill_down_values_are_not_a_500(dataset, client_for, manager_a, params):
    response = client_for(manager_a).get(reverse("projects:project_list"), params)
    assert response.status_code == 200
