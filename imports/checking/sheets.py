"""One reader per sheet: every cell checked and recorded with its sheet, row and column."""

from __future__ import annotations

from django.utils.translation import gettext as _

from beneficiaries.models import Facility, FacilityStatus
from beneficiaries.validation import normalise_personal_id, normalise_tax_code
from core.money import format_vnd
from core.search import fold
from core.sheets import SheetError
from funding.models import STATE_SOURCES, Source
from projects.choices import FundingLevel
from projects.models import IndicatorKind, ProjectKind

from .. import cells
from ..spec import (
    MAX_PROJECTS,
    PROJECTS,
    SOURCE_COLUMNS,
)
from .plan import (
    _ENTRY_BY_TEXT,
    _INDICATOR_BY_TEXT,
    _KIND_BY_TEXT,
    _SOURCE_BY_TEXT,
    _STATUS_BY_TEXT,
    _STATUS_WORDS,
    IMPORT_STATES,
    AllocationRow,
    CheckResult,
    EntryRow,
    Progress,
    ProjectPlan,
    S,
    SettlementRow,
)
from .reading import _Cell, _data_rows, _Lookups, _Table

# --- Sheets ---------------------------------------------------------------------------------------


def _projects(table: _Table, lookups: _Lookups, result: CheckResult) -> None:
    seen: dict[str, int] = {}
    for row, values in _data_rows(table, result):
        cell = _Cell(table, row, values, result)
        code = cell.get("code", cells.text, required=True)
        if code and len(code) > 30:
            cell.error("code", _("Mã đề án quá dài (tối đa 30 ký tự)."))
        if code in seen:
            cell.error("code", _("Trùng mã với dòng %(r)s.") % {"r": seen[code]})
            continue
        if code:
            seen[code] = row.number
        if len(seen) > MAX_PROJECTS:
            raise SheetError([_("Tệp có quá %(n)s đề án; hãy chia nhỏ tệp.") % {"n": MAX_PROJECTS}])
        title = cell.get("title", cells.text, required=True)
        if title and len(title) > 500:
            cell.error("title", _("Tên đề án quá dài (tối đa 500 ký tự)."))
        start = cell.get("start_year", cells.year, required=True)
        end = cell.get("end_year", cells.year) or start
        if start and end and end < start:
            cell.error("end_year", _("Năm kết thúc không được trước năm bắt đầu."))
        kind = _KIND_BY_TEXT.get(fold(cells.text(values.get("kind"))))
        if kind is None:
            cell.error("kind", _("Loại đề án chỉ là: thường, điểm hoặc nhóm."))
        elif kind == ProjectKind.FLAGSHIP and start and end and end <= start:
            cell.error("end_year", _("Đề án điểm phải thực hiện trong hơn một năm."))
        level_text = fold(cells.text(values.get("funding_level")))
        level = _SOURCE_BY_TEXT.get(level_text)
        if level not in FundingLevel.values:
            cell.error("funding_level", _("Cấp kinh phí chỉ là KCQG hoặc KCĐP."))
        decision_number = cell.get("decision_number", cells.text, required=True)
        decision_date = cell.get("decision_date", cells.date, required=True)
        if decision_number and len(decision_number) > 60:
            cell.error("decision_number", _("Số quyết định quá dài (tối đa 60 ký tự)."))
        if decision_date and start and decision_date.year > (end or start):
            cell.error("decision_date", _("Ngày quyết định sau thời gian thực hiện đề án."))
        category, message = lookups.category(cells.text(values.get("category")), decision_date)
        if (category is None and not cell.failed) or category is None:
            cell.error("category", message)
        total = cell.get("total_cost", cells.money, required=True)
        status_text = fold(cells.text(values.get("status")))
        status = _STATUS_BY_TEXT.get(status_text) or next(
            (v for k, v in _STATUS_WORDS.items() if k in status_text), None
        )
        if status is None:
            cell.error(
                "status",
                _("Trạng thái “%(v)s” không hợp lệ; ghi một trong: %(choices)s.")
                % {
                    "v": cells.text(values.get("status")),
                    "choices": ", ".join(str(S(s).label) for s in IMPORT_STATES),
                },
            )
        unit_text = cell.get("implementing_unit", cells.text, required=True)
        contract_date = cell.get("contract_date", cells.date)
        acceptance_date = cell.get("acceptance_date", cells.date)
        historical = cell.get("historical", cells.yes) or False
        profile = None
        if any(
            k in table.header.positions
            for k in ("eligible_cost", "facilities", "priority_area", "technology_line")
        ):
            profile = {
                "eligible_cost": cell.get("eligible_cost", cells.money),
                "facilities": cell.get("facilities", lambda v: cells.whole(v, minimum=1)) or 1,
                "priority_area": cell.get("priority_area", cells.yes) or False,
                "technology_line": cell.get("technology_line", cells.yes) or False,
            }
        # Where: communes (today's or former names, ";" between), former district/province.
        places = lookups.places
        communes: list[tuple[int, int | None]] = []
        district_text = cells.text(values.get("legacy_district"))
        province_text = cells.text(values.get("legacy_province"))
        legacy_district = legacy_province = None
        if province_text or district_text:
            resolution = places.legacy.resolve(
                commune=None, commune_text="", district_text=district_text, province_text=province_text
            )
            if resolution.error:
                cell.error(resolution.error_key, resolution.error)
            legacy_district, legacy_province = resolution.legacy_district, resolution.legacy_province
        for part in [p.strip() for p in cells.text(values.get("communes")).replace("\n", ";").split(";")]:
            if not part:
                continue
            commune, error = places.today(part)
            if commune is not None:
                communes.append((commune.code, None))
                continue
            resolution = places.legacy.resolve(
                commune=None,
                commune_text=part,
                district_text=legacy_district.name if legacy_district else "",
                province_text=legacy_province.name if legacy_province else "",
            )
            if resolution.error or resolution.candidates or resolution.commune is None:
                message = resolution.error or error
                if resolution.candidates:
                    message = _("Xã cũ “%(v)s” nay thuộc nhiều xã mới (%(names)s); hãy ghi tên xã mới.") % {
                        "v": part,
                        "names": ", ".join(c.name for c in resolution.candidates),
                    }
                cell.error("communes", message)
                continue
            communes.append((resolution.commune.code, resolution.legacy.code if resolution.legacy else None))
            mapping = result.report.setdefault("legacy", {})
            key = f"{part} → {resolution.commune.name}"
            mapping[key] = mapping.get(key, 0) + 1
        if cell.failed or not code:
            continue
        assert category is not None and status is not None  # cell.failed is False
        unit_id = lookups.organisations.get(fold(unit_text))
        fields = {
            "title": title,
            "start_year": start,
            "end_year": end,
            "funding_level": level,
            "category_id": category.pk,
            "kind": kind,
            "province_id": lookups.province_id,
            "implementing_unit_id": unit_id,
            "implementing_unit_name": "" if unit_id else unit_text[:255],
            "objectives": cells.text(values.get("objectives")),
            "total_cost": total,
            "decision_number": decision_number,
            "decision_date": decision_date,
            "decision_signer": cells.text(values.get("decision_signer"))[:120],
            "legacy_province_id": legacy_province.code if legacy_province else None,
            "legacy_district_id": legacy_district.code if legacy_district else None,
        }
        plan = ProjectPlan(
            row=row.number,
            code=code,
            fields=fields,
            status=status,
            communes=list(dict.fromkeys(communes)),
            historical=historical,
            historical_note=cells.text(values.get("historical_note")),
            profile=profile,
            contract_date=contract_date,
            acceptance_date=acceptance_date,
        )
        plan.fields["_category"] = category
        result.projects[code] = plan


def _project_of(cell: _Cell, result: CheckResult) -> ProjectPlan | None:
    code = cells.text(cell.values.get("code"))
    if not code:
        cell.error("code", _("Thiếu mã đề án."))
        return None
    plan = result.projects.get(code)
    if plan is None:
        cell.error(
            "code",
            _("Mã đề án “%(c)s” không có (hoặc có lỗi) ở trang “%(t)s”.") % {"c": code, "t": PROJECTS.title},
        )
    return plan


def _source(cell: _Cell, key: str, *, state_only: bool = False) -> str | None:
    raw = cells.text(cell.values.get(key))
    source = _SOURCE_BY_TEXT.get(fold(raw))
    if source is None or (state_only and source not in STATE_SOURCES):
        cell.error(
            key,
            _("Nguồn chỉ là KCQG hoặc KCĐP (kinh phí nhà nước).")
            if state_only
            else _("Nguồn chỉ là KCQG, KCĐP, vốn đối ứng hoặc nguồn khác."),
        )
        return None
    return source


def _beneficiaries(table: _Table, result: CheckResult, province_id: int) -> None:
    wanted: list[tuple[_Cell, ProjectPlan, str, str, str, str]] = []
    for row, values in _data_rows(table, result):
        cell = _Cell(table, row, values, result)
        plan = _project_of(cell, result)
        tax = personal = ""
        try:
            tax = normalise_tax_code(values.get("tax_code"))
        except Exception as exc:  # ValidationError: its message is Vietnamese
            cell.error("tax_code", getattr(exc, "messages", [str(exc)])[0])
        try:
            personal = normalise_personal_id(values.get("personal_id"))
        except Exception as exc:
            cell.error("personal_id", getattr(exc, "messages", [str(exc)])[0])
        name = cells.text(values.get("facility_name"))
        if not (tax or personal or name) and not cell.failed:
            cell.error("tax_code", _("Cần mã số thuế, số định danh hoặc tên cơ sở."))
        if plan is not None and not cell.failed:
            wanted.append((cell, plan, tax, personal, name, cells.text(values.get("note"))[:255]))
    if not wanted:
        return
    active = Facility.objects.filter(status=FacilityStatus.ACTIVE, province_id=province_id)
    taxes = {w[2] for w in wanted if w[2]}
    pids = {w[3] for w in wanted if w[3]}
    names = {fold(w[4]) for w in wanted if w[4] and not w[2] and not w[3]}
    by_tax = dict(active.filter(tax_code__in=taxes).values_list("tax_code", "pk")) if taxes else {}
    by_pid = dict(active.filter(personal_id__in=pids).values_list("personal_id", "pk")) if pids else {}
    by_name: dict[str, list[int]] = {}
    if names:
        for facility_id, facility_name in active.values_list("pk", "name"):
            if fold(facility_name) in names:
                by_name.setdefault(fold(facility_name), []).append(facility_id)
    for cell, plan, tax, personal, name, note in wanted:
        if tax:
            pk, key = by_tax.get(tax), "tax_code"
        elif personal:
            pk, key = by_pid.get(personal), "personal_id"
        else:
            found = by_name.get(fold(name), [])
            pk, key = (found[0] if len(found) == 1 else None), "facility_name"
            if len(found) > 1:
                cell.error(key, _("Có nhiều cơ sở tên “%(n)s”; hãy ghi mã số thuế.") % {"n": name})
                continue
        if pk is None:
            cell.error(
                key,
                _("Chưa có cơ sở “%(v)s” trong sổ đăng ký cơ sở của tỉnh; hãy nhập danh sách cơ sở trước.")
                % {"v": tax or personal or name},
            )
            continue
        plan.beneficiaries[pk] = note


def _cost_plan(table: _Table, result: CheckResult) -> None:
    positions = table.header.positions
    long_form = (
        "source" in positions and "amount" in positions and not any(k in positions for k in SOURCE_COLUMNS)
    )
    for row, values in _data_rows(table, result):
        cell = _Cell(table, row, values, result)
        plan = _project_of(cell, result)
        year = cell.get("year", cells.year, required=True)
        amounts: dict[str, int] = {}
        if long_form:
            source = _source(cell, "source")
            amount = cell.get("amount", cells.money, required=True)
            if source and amount is not None:
                amounts[source] = amount
        else:
            for key in SOURCE_COLUMNS:
                if key in table.header.positions:
                    amount = cell.get(key, cells.money)
                    if amount:
                        amounts[key] = amount
            total = cell.get("total", cells.money) if "total" in table.header.positions else None
            if total is not None and total != sum(amounts.values()) and not cell.failed:
                cell.error(
                    "total",
                    _("Tổng cộng %(t)s khác tổng các nguồn %(s)s.")
                    % {"t": format_vnd(total), "s": format_vnd(sum(amounts.values()))},
                )
        if plan is None or cell.failed or year is None:
            continue
        if not plan.fields["start_year"] <= year <= plan.fields["end_year"]:
            cell.error("year", _("Năm %(y)s nằm ngoài thời gian thực hiện đề án.") % {"y": year})
            continue
        for source, amount in amounts.items():
            if (source, year) in plan.plan:
                cell.error(
                    "year",
                    _("Nguồn %(s)s năm %(y)s đã ghi ở dòng %(r)s.")
                    % {"s": Source(source).label, "y": year, "r": plan.plan_rows[(source, year)]},
                )
                continue
            plan.plan[(source, year)] = amount
            plan.plan_rows[(source, year)] = row.number


def _allocations(table: _Table, result: CheckResult) -> None:
    for row, values in _data_rows(table, result):
        cell = _Cell(table, row, values, result)
        plan = _project_of(cell, result)
        year = cell.get("year", cells.year, required=True)
        source = _source(cell, "source", state_only=True)
        amount = cell.get("amount", lambda v: cells.money(v, positive=True), required=True)
        number = cell.get("decision_number", cells.text, required=True)
        day = cell.get("decision_date", cells.date, required=True)
        if number and len(number) > 100:
            cell.error("decision_number", _("Số quyết định quá dài (tối đa 100 ký tự)."))
        if plan is None or cell.failed:
            continue
        assert source is not None and year is not None  # cell.failed is False
        if not plan.fields["start_year"] <= year <= plan.fields["end_year"]:
            cell.error("year", _("Năm %(y)s nằm ngoài thời gian thực hiện đề án.") % {"y": year})
            continue
        if (source, year) in plan.allocations:
            cell.error(
                "source",
                _("Đề án đã có kinh phí giao nguồn này năm %(y)s (dòng %(r)s).")
                % {"y": year, "r": plan.allocations[(source, year)].row},
            )
            continue
        plan.allocations[(source, year)] = AllocationRow(row.number, amount, number, day)


def _money(table: _Table, result: CheckResult, progress: Progress) -> None:
    rows = _data_rows(table, result)
    for position, (row, values) in enumerate(rows):
        if position % 2000 == 0:
            progress(40 + 30 * position // max(len(rows), 1))
        cell = _Cell(table, row, values, result)
        plan = _project_of(cell, result)
        source = _source(cell, "source", state_only=True)
        kind = _ENTRY_BY_TEXT.get(fold(cells.text(values.get("kind"))))
        if kind is None:
            cell.error("kind", _("Loại chỉ là: tạm ứng, thanh toán hoặc thu hồi tạm ứng."))
        amount = cell.get("amount", lambda v: cells.money(v, positive=True), required=True)
        voucher = cell.get("voucher_number", cells.text, required=True)
        if voucher and len(voucher) > 100:
            cell.error("voucher_number", _("Số chứng từ quá dài (tối đa 100 ký tự)."))
        day = cell.get("voucher_date", cells.date, required=True)
        year = cell.get("year", cells.year)
        if plan is None or cell.failed:
            continue
        assert source is not None  # cell.failed is False
        if year is None:
            years = [y for (s, y) in plan.allocations if s == source]
            if len(years) != 1:
                cell.error(
                    "year",
                    _("Đề án có %(n)s lần giao kinh phí nguồn này; hãy ghi năm kinh phí giao.")
                    % {"n": len(years)}
                    if years
                    else _("Đề án chưa có kinh phí giao nguồn %(s)s (trang “Kinh phí giao”).")
                    % {"s": Source(source).label},
                )
                continue
            year = years[0]
        if (source, year) not in plan.allocations:
            cell.error(
                "source",
                _("Đề án chưa có kinh phí giao nguồn %(s)s năm %(y)s (trang “Kinh phí giao”).")
                % {"s": Source(source).label, "y": year},
            )
            continue
        # cell.failed is False, so every required cell parsed.
        assert source is not None and kind is not None
        plan.entries.append(
            EntryRow(
                row.number, source, year, kind, amount, voucher, day, cells.text(values.get("note"))[:500]
            )
        )


def _settlement(table: _Table, result: CheckResult) -> None:
    for row, values in _data_rows(table, result):
        cell = _Cell(table, row, values, result)
        plan = _project_of(cell, result)
        source = _source(cell, "source")
        actual = cell.get("actual", cells.money, required=True)
        number = cell.get("decision_number", cells.text, required=True)
        day = cell.get("decision_date", cells.date, required=True)
        year = cell.get("year", cells.year)
        if plan is None or cell.failed:
            continue
        if source in plan.settlement:
            cell.error("source", _("Nguồn này đã có ở dòng %(r)s.") % {"r": plan.settlement[source].row})
            continue
        if plan.settlement:
            first = next(iter(plan.settlement.values()))
            if (first.decision_number, first.decision_date) != (number, day):
                cell.error(
                    "decision_number",
                    _("Mỗi đề án một quyết định quyết toán; dòng %(r)s ghi quyết định khác.")
                    % {"r": first.row},
                )
                continue
        # cell.failed is False, so every required cell parsed.
        assert source is not None and actual is not None and number is not None and day is not None
        plan.settlement[source] = SettlementRow(row.number, actual, number, day, year or day.year)


def _indicators(table: _Table, result: CheckResult) -> None:
    for row, values in _data_rows(table, result):
        cell = _Cell(table, row, values, result)
        plan = _project_of(cell, result)
        raw = cells.text(values.get("indicator"))
        key = fold(raw)
        kind = _INDICATOR_BY_TEXT.get(key) or next(
            (v for k, v in sorted(_INDICATOR_BY_TEXT.items(), key=lambda kv: -len(kv[0])) if k and k in key),
            None,
        )
        if kind is None:
            cell.error(
                "indicator",
                _("Không có chỉ tiêu “%(v)s”; ghi một trong: %(c)s.")
                % {"v": raw, "c": ", ".join(str(label) for _v, label in IndicatorKind.choices)},
            )
        planned = cell.get("planned", cells.whole, required=True)
        actual = cell.get("actual", cells.whole)
        if plan is None or cell.failed:
            continue
        assert kind is not None  # cell.failed is False
        if kind in plan.indicators:
            cell.error("indicator", _("Chỉ tiêu này đã ghi cho đề án."))
            continue
        plan.indicators[kind] = (planned, actual)
