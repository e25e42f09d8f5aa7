"""The dry run: read every sheet of a past-projects workbook, check every cell and every money rule
as it stood on each decision's date, and build the plan the commit writes. Nothing is written here.

Two kinds of problem:
* an **error** (a cell that cannot be read, an unknown commune or facility, money the ledger cannot
  hold, a project code of another province): the file is refused, whatever its marks say;
* a **breach** of a money rule of the time (cap in force on the decision date, advance ceiling, sums
  by source, allocation within the plan, money before the contract or after settlement): refused too,
  unless the project's row carries the "historical record" mark. Then it goes in, flagged and listed.
"""

from __future__ import annotations

from typing import IO

from django.utils.translation import gettext as _

from core.sheets import SheetError, XlsxBook

from ..spec import (
    ALLOCATIONS,
    BENEFICIARIES,
    COST_PLAN,
    INDICATORS,
    LIMITS,
    MONEY,
    PROJECTS,
    SETTLEMENT,
    Problem,
)
from .plan import IMPORT_STATES, CheckResult, Progress, ProjectPlan
from .reading import _Lookups, _read_tables
from .rules import _envelopes, _match_existing, _rules
from .sheets import _allocations, _beneficiaries, _cost_plan, _indicators, _money, _projects, _settlement


def check_workbook(stream: IO[bytes], *, province_id: int, progress: Progress | None = None) -> CheckResult:
    """Read and check the whole workbook; nothing is written. ``progress`` receives 0–100."""
    report = progress or (lambda _p: None)
    result = CheckResult()
    try:
        book = XlsxBook(stream, LIMITS)
        report(5)
        tables = _read_tables(book, result)
        report(20)
        lookups = _Lookups(province_id)
        if PROJECTS.key in tables:
            _projects(tables[PROJECTS.key], lookups, result)
        report(30)
        if BENEFICIARIES.key in tables:
            _beneficiaries(tables[BENEFICIARIES.key], result, province_id)
        if COST_PLAN.key in tables:
            _cost_plan(tables[COST_PLAN.key], result)
        if ALLOCATIONS.key in tables:
            _allocations(tables[ALLOCATIONS.key], result)
        report(40)
        if MONEY.key in tables:
            _money(tables[MONEY.key], result, report)
        if SETTLEMENT.key in tables:
            _settlement(tables[SETTLEMENT.key], result)
        if INDICATORS.key in tables:
            _indicators(tables[INDICATORS.key], result)
        report(75)
        _match_existing(result, province_id)
        for plan in result.projects.values():
            _rules(plan, lookups, result)
            if plan.breaches and not plan.historical:
                result.errors.extend(plan.breaches)
        _envelopes(result, province_id)
        if lookups.managing_organisation() is None and result.projects:
            result.error(PROJECTS, 0, "", _("Tỉnh này chưa có cơ quan quản lý trên hệ thống."))
        result.report["managing_organisation"] = lookups.managing_organisation()
        report(90)
    except SheetError as exc:
        result.errors = [Problem("", 0, "", m) for m in exc.messages]
        result.projects = {}
        return result
    if not result.projects and not result.errors:
        result.error(PROJECTS, 0, "", _("Tệp không có đề án nào."))
    result.report["unused_filters"] = []
    return result


__all__ = ["IMPORT_STATES", "CheckResult", "ProjectPlan", "check_workbook"]
