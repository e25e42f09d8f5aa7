"""“Việc của tôi”: each role's work, from the workflow and the deadlines, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from inbox.providers import next_step, waiting_steps
from inbox.selectors import inbox_for
from projects import workflow
from projects.models import ProgressReport
from tests.factories import ProjectFactory, budget_envelope, funded_allocation, money_project

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 23)


def keys(user, today=TODAY):
    return {s.key: [t.code for t in s.tasks] for s in inbox_for(user, today)}


def test_steps_come_from_the_declared_workflow():
    steps = waiting_steps()
    assert {s: t.name for s, t in steps.items()} == {
        "returned": "submit",
        "submitted": "appraise",
        "appraised": "approve",
        "approved": "contract",
        "contracted": "start",
    }
    step = next_step("in_progress")
    assert step is not None and step.name == "accept"  # listed by the acceptance deadline instead
    assert next_step("settled") is None and next_step("rejected") is None
    for status, step in steps.items():
        assert status in workflow.TRANSITIONS[step.name].sources


def test_staff_see_returned_contracts_reports_acceptance_and_settlement(world):
    a = world.province_a
    returned = ProjectFactory.create(province=a, created_by=world.staff_a, status="returned", code="R-1")
    approved = money_project(a, status="approved", code="A-1", created_by=world.staff_a)
    running = money_project(
        a, status="in_progress", code="I-1", start_year=2026, end_year=2026, created_by=world.staff_a
    )
    reported = money_project(
        a, status="in_progress", code="I-2", start_year=2027, end_year=2027, created_by=world.staff_a
    )
    ProgressReport.objects.create(
        project=reported,
        period=TODAY.replace(day=1),
        percent_done=40,
        money_used=0,
        reported_by=world.staff_a,
    )
    accepted = money_project(
        a, status="accepted", code="S-1", start_year=2025, end_year=2025, created_by=world.staff_a
    )
    money_project(world.province_b, status="returned", code="B-1")  # another province: never listed
    inbox = keys(world.staff_a)
    assert "R-1" in inbox["step-submit-returned"]
    assert "A-1" in inbox["step-contract-approved"]
    assert "I-1" in inbox["progress"] and "I-2" not in inbox["progress"]  # I-2 filed this month's report
    assert "I-1" not in inbox.get("acceptance", [])  # 31/12/2026 is more than 60 days away
    assert "I-1" in keys(world.staff_a, dt.date(2026, 11, 15))["acceptance"]
    assert "I-2" not in keys(world.staff_a, dt.date(2026, 11, 15))["acceptance"]
    assert "S-1" in inbox["settlement"]
    assert "B-1" not in str(inbox)
    tasks = {t.code: t for s in inbox_for(world.staff_a, TODAY) for t in s.tasks}
    assert tasks["I-1"].due == dt.date(2026, 5, 25)
    assert tasks["S-1"].due == dt.date(2026, 1, 22)  # budget year 2025 settles by 22/01/2026
    assert tasks["A-1"].url == reverse("projects:project_transition", args=[approved.pk, "contract"])
    assert tasks["R-1"].url == reverse("projects:project_transition", args=[returned.pk, "submit"])
    assert running.code == "I-1" and accepted.code == "S-1"


def test_managers_see_decisions_allocations_envelopes_and_overdue_settlements(world):
    a = world.province_a
    ProjectFactory.create(province=a, created_by=world.staff_a, status="submitted", code="N-1")
    ProjectFactory.create(province=a, created_by=world.staff_a, status="appraised", code="N-2")
    money_project(a, status="approved", code="G-1")
    given = money_project(a, status="approved", code="G-2")
    funded_allocation(given, world.manager_a, amount=100_000_000)
    money_project(a, status="accepted", code="Q-1", start_year=2024, end_year=2024)
    money_project(a, status="accepted", code="Q-2", start_year=2026, end_year=2026)
    envelope = budget_envelope(a, year=2026, amount=1_000_000_000)
    from funding.models import BudgetEnvelope

    envelope.refresh_from_db()
    inbox = keys(world.manager_a)
    assert "envelope" not in inbox
    BudgetEnvelope.objects.filter(pk=envelope.pk).update(amount=envelope.allocated * 100 // 95)  # 95% used
    inbox = keys(world.manager_a)
    assert "N-1" in inbox["step-appraise-submitted"]
    assert "N-2" in inbox["step-approve-appraised"]
    assert "G-1" in inbox["allocation"] and "G-2" not in inbox["allocation"]
    assert "Q-1" in inbox["settlement-overdue"] and "Q-2" not in inbox["settlement-overdue"]
    assert len(inbox["envelope"]) == 1
    assert "step-contract-approved" not in inbox  # recording the contract is staff's
    assert not {"N-1", "N-2", "G-1", "Q-1"} & {c for v in keys(world.manager_b).values() for c in v}


def test_admins_see_locked_out_accounts(world, settings):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="staff_a",
        ip_address="10.0.0.5",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        user_agent="x",
        http_accept="x",
        path_info="/",
        get_data="",
        post_data="",
    )
    inbox = keys(world.admin)
    assert [t.subject for s in inbox_for(world.admin) if s.key == "locked" for t in s.tasks] == [
        "staff_a (10.0.0.5)"
    ]
    assert "locked" not in keys(world.manager_a)
    assert inbox


def test_the_inbox_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    a = world.province_a
    for i in range(30):
        ProjectFactory.create(
            province=a, created_by=world.staff_a, status=("submitted", "appraised", "returned")[i % 3]
        )
        money_project(a, status=("approved", "in_progress", "accepted")[i % 3], code=f"M-{i}")
    for user in (world.staff_a, world.manager_a, world.national_manager, world.admin):
        with django_assert_max_num_queries(12):
            sections = inbox_for(user, TODAY)
        assert all(len(s.tasks) <= 20 for s in sections)


def test_home_page_lists_the_inbox_with_due_dates(world, client_for):
    money_project(world.province_a, status="in_progress", code="I-9", title="Đào tạo nghề mây tre đan")
    html = client_for(world.staff_a).get(reverse("core:home")).content.decode()
    assert "Việc của tôi" in html and "Đào tạo nghề mây tre đan" in html
    assert "Báo cáo tiến độ tháng" in html and "25/" in html
