"""Words a clerk writes for states, sources and entry kinds, and the checked plan the commit writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.search import fold
from funding.models import EntryKind, Source
from projects.choices import FundingLevel, ProjectStatus
from projects.models import IndicatorKind, ProjectKind

from ..spec import (
    Problem,
    Sheet,
)

S = ProjectStatus
#: The states a past project may be recorded in (how far it got).
IMPORT_STATES = (S.APPROVED, S.CONTRACTED, S.IN_PROGRESS, S.ACCEPTED, S.SETTLED, S.STOPPED)
_STATUS_WORDS = {
    "phe duyet": S.APPROVED,
    "da duyet": S.APPROVED,
    "approved": S.APPROVED,
    "hop dong": S.CONTRACTED,
    "ky hop dong": S.CONTRACTED,
    "da ky hd": S.CONTRACTED,
    "contracted": S.CONTRACTED,
    "trien khai": S.IN_PROGRESS,
    "dang thuc hien": S.IN_PROGRESS,
    "dang trien khai": S.IN_PROGRESS,
    "in progress": S.IN_PROGRESS,
    "nghiem thu": S.ACCEPTED,
    "accepted": S.ACCEPTED,
    "quyet toan": S.SETTLED,
    "hoan thanh": S.SETTLED,
    "settled": S.SETTLED,
    "ngung": S.STOPPED,
    "dung": S.STOPPED,
    "ngung trien khai": S.STOPPED,
    "stopped": S.STOPPED,
}
_STATUS_BY_TEXT = {fold(str(S(s).label)): s for s in IMPORT_STATES} | {s: s for s in IMPORT_STATES}
_STATUS_BY_TEXT |= {fold(k): v for k, v in _STATUS_WORDS.items()}
_SOURCE_BY_TEXT: dict[str, str] = {
    "kcqg": Source.KCQG,
    "khuyen cong quoc gia": Source.KCQG,
    "quoc gia": Source.KCQG,
    "trung uong": Source.KCQG,
    "nstw": Source.KCQG,
    "kcdp": Source.KCDP,
    "khuyen cong dia phuong": Source.KCDP,
    "dia phuong": Source.KCDP,
    "nsdp": Source.KCDP,
    "doi ung": Source.COUNTERPART,
    "von doi ung": Source.COUNTERPART,
    "counterpart": Source.COUNTERPART,
    "khac": Source.OTHER,
    "nguon khac": Source.OTHER,
    "tai tro": Source.OTHER,
    "other": Source.OTHER,
}
_SOURCE_BY_TEXT |= {fold(str(label)): value for value, label in FundingLevel.choices}
_ENTRY_BY_TEXT = {
    "tam ung": EntryKind.ADVANCE,
    "ung": EntryKind.ADVANCE,
    "advance": EntryKind.ADVANCE,
    "thanh toan": EntryKind.PAYMENT,
    "chi": EntryKind.PAYMENT,
    "payment": EntryKind.PAYMENT,
    "thu hoi": EntryKind.RECOVERY,
    "thu hoi tam ung": EntryKind.RECOVERY,
    "hoan ung": EntryKind.RECOVERY,
    "recovery": EntryKind.RECOVERY,
}
_KIND_BY_TEXT = {fold(str(label)): value for value, label in ProjectKind.choices} | {
    "thuong": ProjectKind.REGULAR,
    "diem": ProjectKind.FLAGSHIP,
    "nhom": ProjectKind.GROUP,
    "": ProjectKind.REGULAR,
}
_INDICATOR_BY_TEXT = {fold(str(label)): value for value, label in IndicatorKind.choices} | {
    v: v for v in IndicatorKind.values
}
_INDICATOR_BY_TEXT |= {
    "so hoc vien": IndicatorKind.TRAINEES,
    "hoc vien": IndicatorKind.TRAINEES,
    "hoc vien nu": IndicatorKind.TRAINEES_FEMALE,
    "hoc vien dtts": IndicatorKind.TRAINEES_ETHNIC,
    "so lop": IndicatorKind.COURSES,
    "mo hinh": IndicatorKind.DEMO_MODELS,
    "may moc": IndicatorKind.MACHINES,
    "so may": IndicatorKind.MACHINES,
    "day chuyen": IndicatorKind.TECH_LINES,
    "gian hang": IndicatorKind.FAIR_BOOTHS,
    "san pham": IndicatorKind.PRODUCTS_RECOGNISED,
    "co so": IndicatorKind.FACILITIES_SUPPORTED,
    "viec lam": IndicatorKind.JOBS_CREATED,
}
#: On one voucher date: advances first, then recoveries, then payments (an advance is settled by
#: recovering it and paying the final sum on the same day).
_ENTRY_ORDER: dict[str, int] = {EntryKind.ADVANCE: 0, EntryKind.RECOVERY: 1, EntryKind.PAYMENT: 2}


# --- The plan -------------------------------------------------------------------------------------


@dataclass
class AllocationRow:
    row: int
    amount: int
    decision_number: str
    decision_date: dt.date


@dataclass
class EntryRow:
    row: int
    source: str
    year: int
    kind: str
    amount: int
    voucher_number: str
    voucher_date: dt.date
    note: str


@dataclass
class SettlementRow:
    row: int
    actual: int
    decision_number: str
    decision_date: dt.date
    year: int


@dataclass
class ProjectPlan:
    """One project as the workbook records it, checked; the commit writes exactly this."""

    row: int
    code: str
    fields: dict[str, Any]
    status: str
    communes: list[tuple[int, int | None]] = field(default_factory=list)  # (commune, former commune)
    historical: bool = False
    historical_note: str = ""
    profile: dict[str, Any] | None = None
    existing_id: int | None = None
    beneficiaries: dict[int, str] = field(default_factory=dict)  # facility id → note
    plan: dict[tuple[str, int], int] = field(default_factory=dict)  # (source, year) → amount
    plan_rows: dict[tuple[str, int], int] = field(default_factory=dict)
    allocations: dict[tuple[str, int], AllocationRow] = field(default_factory=dict)
    entries: list[EntryRow] = field(default_factory=list)
    settlement: dict[str, SettlementRow] = field(default_factory=dict)
    indicators: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    contract_date: dt.date | None = None
    acceptance_date: dt.date | None = None
    breaches: list[Problem] = field(default_factory=list)


@dataclass
class CheckResult:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)
    projects: dict[str, ProjectPlan] = field(default_factory=dict)
    envelopes: dict[tuple[int, str], int] = field(default_factory=dict)  # (year, level) → increase

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def breaches(self) -> list[Problem]:
        return [b for p in self.projects.values() for b in p.breaches]

    @property
    def money_rows(self) -> int:
        return sum(len(p.entries) for p in self.projects.values())

    def error(self, sheet: Sheet | str, row: int, column: str, message: str) -> None:
        name = str(sheet.title) if isinstance(sheet, Sheet) else sheet
        self.errors.append(Problem(name, row, column, str(message)))


Progress = Callable[[int], None]
