"""Demo report runs: Phú Thọ's annual report and funding by source, already generated (idempotent)."""

from __future__ import annotations

from typing import Any

from .models import ReportRun, RunStatus
from .selectors import default_year_range
from .services import report_run_execute

DEMO_RUNS = (
    ("province_annual", "ld.phutho"),
    ("funding_by_source", "ld.phutho"),
)


def seed(context: dict[str, Any]) -> None:
    users = context["users"]
    org = context["organisations"]["phutho_department"]
    year_from, year_to = default_year_range()
    made = 0
    for kind, username in DEMO_RUNS:
        parameters = {
            "year_from": year_from,
            "year_to": year_to,
            "province": org.province_id,
            "funding_level": "",
        }
        run, created = ReportRun.objects.get_or_create(
            idempotency_key=f"demo:{kind}:{org.province_id}:{year_from}-{year_to}",
            defaults={
                "kind": kind,
                "parameters": parameters,
                "province_id": org.province_id,
                "requested_by": users.get(username),
            },
        )
        if run.status != RunStatus.DONE:
            # Built here, synchronously: the demo works before any worker has started.
            report_run_execute(run_pk=run.pk)
        made += int(created)
    context["stdout"].write(f"reports: {made} báo cáo mẫu mới")
