"""Run inside ``manage.py shell`` with DATABASE_URL (primary) and DATABASE_REPLICA_URL (a streaming
replica of it): while the replica's replay is paused, a report reads the replica (stale) and a
payment is checked on the primary (fresh). Prints one JSON line of what was seen."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
import uuid
from typing import Any

PAID = 123_456_789


def _caught_up() -> None:
    from django.db import connections

    with connections["default"].cursor() as c:
        c.execute("SELECT pg_current_wal_lsn()")
        target = c.fetchone()[0]
    for _ in range(300):
        with connections["replica"].cursor() as c:
            c.execute("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0", [target])
            if c.fetchone()[0]:
                return
        time.sleep(0.1)
    raise TimeoutError("the replica did not catch up")


def _report_numbers(manager: Any, province: Any) -> set[int]:
    """Build the province's annual report as the worker does; every number in its workbook."""
    from openpyxl import load_workbook

    from reports.models import ReportRun
    from reports.services import report_run_execute

    run = ReportRun.objects.create(
        kind="province_annual",
        parameters={"year_from": 2022, "year_to": 2026, "province": province.pk, "funding_level": ""},
        province=province,
        requested_by=manager,
        idempotency_key=uuid.uuid4().hex,
    )
    assert report_run_execute(run_pk=run.pk) == "done", ReportRun.objects.get(pk=run.pk).error
    run.refresh_from_db()
    with run.file.open("rb") as handle:
        wb = load_workbook(io.BytesIO(handle.read()), read_only=True)
    return {
        v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, int)
    }


def run() -> None:
    from django.db import connections

    from accounts.models import Role
    from core.db import reader
    from core.errors import DomainError
    from funding import services
    from funding.models import Allocation
    from tests.factories import (
        OrganisationFactory,
        UserFactory,
        budget_envelope,
        funded_allocation,
        money_project,
        province,
    )

    pa = province("Tỉnh Phú Thọ")
    org = OrganisationFactory(name="Trung tâm Khuyến công tỉnh Phú Thọ", province=pa)
    staff = UserFactory(username="staff_r", organisation=org, role=Role.STAFF)
    manager = UserFactory(username="manager_r", organisation=org, role=Role.MANAGER)
    project = money_project(
        pa,
        title="Đào tạo nghề dệt thổ cẩm",
        code="REP-1",
        start_year=2026,
        end_year=2026,
        status="in_progress",
    )
    budget_envelope(pa, amount=1_000_000_000)
    allocation = funded_allocation(project, manager, amount=200_000_000)
    _caught_up()
    seen: dict[str, object] = {}
    with connections["replica"].cursor() as c:
        c.execute("SELECT pg_is_in_recovery()")
        seen["replica_in_recovery"] = c.fetchone()[0]
        c.execute("SELECT pg_wal_replay_pause()")
    # The replica now lags: the payment is on the primary only.
    services.payment_record(
        user=staff,
        allocation=allocation,
        amount=PAID,
        voucher_number="PC-1",
        voucher_date=dt.date(2026, 4, 1),
    )
    seen["primary_paid"] = Allocation.objects.get(pk=allocation.pk).paid
    with reader():
        seen["replica_paid"] = Allocation.objects.get(pk=allocation.pk).paid
    # 100 million more fits the 200 million allocation on the stale replica (nothing paid there), not
    # on the primary (76.5 million left): the check must read the primary, under its row lock.
    try:
        services.payment_record(
            user=staff, allocation=allocation, amount=100_000_000, voucher_number="PC-2",
            voucher_date=dt.date(2026, 4, 2),
        )  # fmt: skip
        seen["second_payment"] = "accepted"
    except DomainError as exc:
        seen["second_payment"] = f"refused: {exc.message}"
    seen["stale_report_has_payment"] = PAID in _report_numbers(manager, pa)
    with connections["replica"].cursor() as c:
        c.execute("SELECT pg_wal_replay_resume()")
    _caught_up()
    seen["fresh_report_has_payment"] = PAID in _report_numbers(manager, pa)
    print("SCENARIO " + json.dumps(seen, ensure_ascii=False))
