"""Links behind the figures, the catalogue's cost, and the demo seed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports.dashboard import project_list_url, summary_line
from reports.models import ReportRun, RunStatus
from reports.selectors import Filters, dashboard_facts

pytestmark = pytest.mark.django_db


def test_figure_links_carry_the_dashboard_filters():
    url = project_list_url(
        Filters(2024, 2024, province=25, funding_level="kcdp", category=3), status="approved"
    )
    assert url is not None
    parts = urlsplit(url)
    assert parts.path == reverse("projects:project_list")
    query = parse_qs(parts.query)
    assert query["year"] == ["2024"]  # the list's own filter: projects running that year
    assert (
        query["funding_level"] == ["kcdp"] and query["category"] == ["3"] and query["status"] == ["approved"]
    )
    assert query["province"] == ["25"]
    ranged_url = project_list_url(Filters(2022, 2026))
    assert ranged_url is not None
    ranged = parse_qs(urlsplit(ranged_url).query)
    assert "year" not in ranged and ranged["year_from"] == ["2022"] and ranged["year_to"] == ["2026"]


def test_the_dashboard_links_each_category_and_status(dataset, client_for, manager_a):
    response = client_for(manager_a).get(reverse("reports:dashboard"))
    context = response.context
    assert all(c["url"] and "category=" in c["url"] for c in context["categories"])
    assert all("status=" in s["url"] for s in context["status_rows"])
    assert all("commune=" in a["url"] for a in context["areas"])


def test_summary_line_for_one_year(dataset, manager_a):
    line = summary_line(dashboard_facts(manager_a, Filters(2025, 2025)))
    assert line.startswith("Năm 2025: 1 đề án được phê duyệt, kinh phí hỗ trợ 300 triệu đồng")
    assert "đã giải ngân 300 triệu đồng (100,0%)" in line


def test_catalogue_lists_runs_in_scope_in_few_queries(
    dataset, client_for, manager_a, manager_b, django_assert_max_num_queries
):
    for user in (manager_a, manager_a, manager_b):
        ReportRun.objects.create(
            kind="funding_by_source",
            parameters={},
            province_id=user.province_id,
            requested_by=user,
            idempotency_key=f"k{ReportRun.objects.count()}",
        )
    client = client_for(manager_a)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("reports:catalogue"))
    assert response.status_code == 200
    assert len(response.context["runs"]) == 2
    assert "Lập báo cáo" in response.content.decode()


def test_staff_see_the_catalogue_without_request_buttons(client_for, staff_a):
    text = client_for(staff_a).get(reverse("reports:catalogue")).content.decode()
    assert "data-kc-report=" not in text


def test_demo_seed_is_idempotent(media, db):
    call_command("seed_demo")
    runs = ReportRun.objects.count()
    assert runs == 2
    assert set(ReportRun.objects.values_list("status", flat=True)) == {RunStatus.DONE}
    call_command("seed_demo")
    assert ReportRun.objects.count() == runs
