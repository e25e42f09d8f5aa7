"""Automatic monthly and quarterly province reports (Celery beat calls :func:`schedule_periodic`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from regions.models import Province

from .registry import get_report
from .services import report_run_request

PERIODIC_KIND = "province_annual"


def previous_period(period: str, today: dt.date) -> tuple[str, dt.date, dt.date]:
    """The month or quarter that ended before ``today``: (label, first day, last day)."""
    first_of_month = today.replace(day=1)
    if period == "month":
        end = first_of_month - dt.timedelta(days=1)
        return f"{end:%Y-%m}", end.replace(day=1), end
    if period == "quarter":
        quarter_start_month = 3 * ((today.month - 1) // 3) + 1
        end = today.replace(month=quarter_start_month, day=1) - dt.timedelta(days=1)
        start = end.replace(month=end.month - 2, day=1)
        return f"{end.year}-Q{(end.month - 1) // 3 + 1}", start, end
    raise ValueError(f"unknown period {period!r}")


def schedule_periodic(*, period: str, today: dt.date | None = None) -> int:
    """One run per province in use (it has an organisation); a second call for the same period
    finds the runs already there (the idempotency key names the period and province)."""
    today = today or timezone.localdate()
    label, start, end = previous_period(period, today)
    report = get_report(PERIODIC_KIND)
    assert report is not None
    created = 0
    for code in (
        Province.objects.filter(organisations__isnull=False).values_list("code", flat=True).distinct()
    ):
        parameters = {
            "province": code,
            "year_from": end.year,
            "year_to": end.year,
            "funding_level": "",
            "period": label,
            "date_from": start.isoformat(),
            "date_to": end.isoformat(),
        }
        _, was_created = report_run_request(
            user=None,
            report=report,
            parameters=parameters,
            idempotency_key=f"auto:{PERIODIC_KIND}:{label}:{code}",
            scheduled=True,
        )
        created += int(was_created)
    return created
