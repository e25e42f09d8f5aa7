"""``manage.py reconcile``: passes on clean data, fails naming the difference on a row corrupted behind
the triggers' back, stores the run, tells the administrators and shows in their inbox; beat runs it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection

from funding import services
from funding.models import ReconcileRun
from funding.reconcile import CHECKS, reconcile
from tests.factories import funded_allocation, money_project

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 4, 1)


@pytest.fixture
def books(province_a, province_b, manager_a, staff_a, manager_b, staff_b):
    """Money in two provinces: allocations, advances, payments, a recovery, a reversal, a settlement."""
    running = money_project(province_a, status="in_progress", title="Đào tạo nghề mây tre đan")
    allocation = funded_allocation(running, manager_a, amount=200_000_000)
    services.advance_record(
        user=staff_a, allocation=allocation, amount=100_000_000, voucher_number="TU-1", voucher_date=DAY
    )
    services.recovery_record(
        user=staff_a, allocation=allocation, amount=10_000_000, voucher_number="THU-1", voucher_date=DAY
    )
    wrong = services.payment_record(
        user=staff_a, allocation=allocation, amount=5_000_000, voucher_number="PC-1", voucher_date=DAY
    )
    services.entry_reverse(user=staff_a, entry=wrong, voucher_number="DC-1", voucher_date=DAY, note="Nhầm")
    done = money_project(province_b, status="accepted", title="Hội chợ gốm Bát Tràng")
    other = funded_allocation(done, manager_b, amount=120_000_000)
    services.payment_record(
        user=staff_b, allocation=other, amount=100_000_000, voucher_number="PC-9", voucher_date=DAY
    )
    services.settlement_record(
        user=staff_b, project=done, year=2026, decision_number="QT-1", decision_date=DAY, actual={}
    )
    return allocation, other


def corrupt(sql: str, params: list[int]) -> None:
    """Change a row past every trigger (as a bad restore or a hand edit would)."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


def test_clean_books_pass_every_check(books, capsys):
    assert reconcile() == []
    call_command("reconcile")
    assert "mọi số liệu khớp" in capsys.readouterr().out
    run = ReconcileRun.objects.get()
    assert run.ok and run.differences == []


def test_a_corrupted_total_fails_naming_the_row_and_both_figures(books, admin_user, capsys):
    from notifications.models import Notification

    allocation, _other = books
    corrupt("UPDATE funding_allocation SET paid = paid + 7 WHERE id = %s", [allocation.pk])
    with pytest.raises(SystemExit) as exit_:
        call_command("reconcile", "--notify")
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert f"[allocation_totals] funding_allocation #{allocation.pk}" in err
    assert "paid = 7 ≠ tổng bút toán 0" in err
    run = ReconcileRun.objects.get()
    assert not run.ok and any(d["check"] == "allocation_totals" for d in run.differences)
    notice = Notification.objects.get(user=admin_user, kind="reconcile_failed")
    assert "chênh lệch" in notice.title and f"#{allocation.pk}" in notice.body


def test_a_corrupted_envelope_and_a_corrupted_entry_are_named(books):
    allocation, _other = books
    corrupt(
        "UPDATE funding_budgetenvelope SET allocated = allocated - 1 WHERE id = %s", [allocation.envelope_id]
    )
    corrupt("UPDATE funding_moneyentry SET amount = amount + 1 WHERE voucher_number = 'TU-1'", [])
    found = {(d.check, d.subject.split(" (")[0]) for d in reconcile()}
    assert ("envelope_totals", f"funding_budgetenvelope #{allocation.envelope_id}") in found
    assert ("allocation_totals", f"funding_allocation #{allocation.pk}") in found


def test_an_entry_before_the_contract_is_named(books):
    from projects.models import Project

    allocation, _other = books
    corrupt("UPDATE projects_project SET status = 'approved' WHERE id = %s", [allocation.project_id])
    assert Project.objects.get(pk=allocation.project_id).status == "approved"
    details = [d.detail for d in reconcile(only=["lifecycle"])]
    assert "có bút toán khi đề án chưa ký hợp đồng" in details


def test_the_inbox_shows_administrators_the_latest_failed_run(books, admin_user):
    from funding.reconcile import reconcile_run
    from inbox.providers import reconcile_failures

    today = dt.date.today()
    assert reconcile_failures(admin_user, today) is None
    allocation, _other = books
    corrupt("UPDATE funding_allocation SET advanced = advanced + 1 WHERE id = %s", [allocation.pk])
    reconcile_run()
    section = reconcile_failures(admin_user, today)
    assert section is not None and section.total >= 1
    assert f"#{allocation.pk}" in section.tasks[0].subject
    corrupt("UPDATE funding_allocation SET advanced = advanced - 1 WHERE id = %s", [allocation.pk])
    reconcile_run()
    assert reconcile_failures(admin_user, today) is None  # a later clean run clears it


def test_beat_runs_reconcile_nightly():
    import funding.tasks  # noqa: F401  (registers the schedule)
    from khuyencong.celery import app

    entry = app.conf.beat_schedule["funding.reconcile_nightly"]
    assert entry["task"] == "funding.tasks.reconcile_nightly"
    assert entry["schedule"].hour == {2}


def test_every_check_is_named():
    assert set(CHECKS) >= {"allocation_totals", "envelope_totals", "summaries", "dashboard", "annual_plan"}
