"""Projects (đề án) over ten years, their beneficiaries, and every money row that follows from them.

Money rules obeyed (funding.services enforces the same at run time):
* allocations only for decided projects, one per project, source and year inside the project's years;
* a province's envelope per year and level covers its allocations (``allocated`` = their sum);
* the state share stays within the support cap in force on the decision date (share and ceiling);
* advances within the category's ceiling (70 % / 30 %), disbursed within the allocation, recoveries
  within the outstanding advance; the maintained totals equal the sums of the ledger rows;
* the lifecycle gates (funding.gates): ledger rows only from the contract on; before acceptance
  advances and payments together within the advance ceiling; allocations within their cost plan line;
  voucher numbers unique per allocation and year;
* a settlement's lines: ``returned = disbursed − actual`` for state money.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from typing import Any

from accounts.models import Organisation, OrganisationKind, Role, User
from funding import gates
from projects.workflow import DECIDED_STATES, reached_states
from regions.models import Province

from . import names
from .copyload import copy_rows, reset_sequence
from .generator import (
    PARTS,
    TZ,
    VERIFY_SQL,
    Report,
    Scale,
    m2m_through,
    model_or_none,
    person_name,
    short_place,
)

YEARS = list(range(2017, 2027))
CURRENT_YEAR = 2026

# Status mix by how old the project is (years before CURRENT_YEAR → weights).
STATUS_MIX = {
    "old": [("settled", 82), ("accepted", 4), ("rejected", 7), ("stopped", 4), ("in_progress", 3)],
    "last": [("settled", 20), ("accepted", 30), ("in_progress", 35), ("contracted", 5), ("rejected", 5),
             ("stopped", 5)],
    "current": [("draft", 14), ("submitted", 18), ("returned", 4), ("appraised", 12), ("approved", 18),
                ("contracted", 12), ("in_progress", 18), ("rejected", 4)],
}  # fmt: skip
BIDDING = ("ND45-04", "ND45-06", "ND45-07")  # fairs, communication, clusters: đấu thầu
UNAPPRAISED = ("draft", "submitted", "returned")
DECIDED = set(DECIDED_STATES)
HAS_MONEY = DECIDED
# Relative number of ledger rows per allocation, by status (none before the contract: funding.gates).
ENTRY_WEIGHT = {"approved": 0, "contracted": 1, "in_progress": 3, "accepted": 5, "settled": 5}

TITLES = {
    "ND45-01": "Đào tạo nghề {trade} cho lao động nông thôn {where}",
    "ND45-02": "Nâng cao năng lực quản lý cho các cơ sở {trade} {where}",
    "ND45-03": "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến trong {trade} tại {where}",
    "ND45-04": "Tham gia hội chợ hàng công nghiệp nông thôn tiêu biểu: sản phẩm {trade} {where}",
    "ND45-05": "Tư vấn thiết kế mẫu mã, nhãn hiệu sản phẩm {trade} {where}",
    "ND45-06": "Thông tin tuyên truyền về sản phẩm {trade} {where}",
    "ND45-07": "Hỗ trợ xây dựng hệ thống xử lý ô nhiễm môi trường cụm công nghiệp {where}",
    "ND45-08": "Hợp tác quốc tế, khảo sát học tập kinh nghiệm {trade}",
    "ND45-09": "Nâng cao năng lực tổ chức thực hiện khuyến công {where}",
    "ND235-CDS": "Hỗ trợ chuyển đổi số cho cơ sở {trade} {where}",
    "ND235-SXTD": "Hỗ trợ sản xuất sạch hơn, tiêu dùng bền vững trong {trade} {where}",
    "ND235-NN": "Hỗ trợ nghệ nhân truyền nghề {trade} {where}",
}


def _organisations() -> dict[int, tuple[int, int, int]]:
    """Per province: (department id, centre id, staff user id), created once."""
    result = {}
    for province in Province.objects.order_by("code"):
        short = short_place(province.name)
        dept, _ = Organisation.objects.get_or_create(
            name=f"Sở Công Thương {province.name[0].lower()}{province.name[1:]}",
            defaults={"kind": OrganisationKind.DEPARTMENT, "province": province},
        )
        centre, _ = Organisation.objects.get_or_create(
            name=f"Trung tâm Khuyến công {province.name[0].lower()}{province.name[1:]}",
            defaults={"kind": OrganisationKind.CENTRE, "province": province},
        )
        if dept.province_id != province.code or centre.province_id != province.code:
            raise RuntimeError(f"Organisation of another province named like {short}")
        user, created = User.objects.get_or_create(
            username=f"bench.cv.{province.code:02d}",
            defaults={"organisation": centre, "role": Role.STAFF, "first_name": f"Chuyên viên {short}"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        result[province.code] = (dept.pk, centre.pk, user.pk)
    return result


def _cap_rules() -> dict[int, list[tuple[dt.date, dt.date | None, int, int | None]]]:
    SupportCapRule = model_or_none("funding.SupportCapRule")
    rules: dict[int, list[Any]] = defaultdict(list)
    if SupportCapRule is None:
        return rules
    fields = ("category_id", "valid_from", "valid_until", "share_permille", "ceiling_per_facility")
    for category_id, *rule in SupportCapRule._default_manager.order_by(*fields[:2]).values_list(*fields):
        rules[category_id].append(tuple(rule))
    return rules


def _cap_limit(rules: list[Any], day: dt.date, cost: int, facilities: int) -> int | None:
    for valid_from, valid_until, share, ceiling in rules:
        if valid_from <= day and (valid_until is None or day <= valid_until):
            limit = cost * share // 1000
            if ceiling is not None:
                limit = min(limit, ceiling * max(facilities, 1))
            return limit
    return None


def _date(rng: random.Random, year: int, first_month: int = 1, last_month: int = 12) -> dt.date:
    month = rng.randint(first_month, last_month)
    return dt.date(year, month, rng.randint(1, 28))


def _split(rng: random.Random, total: int, parts: int, unit: int = 1_000) -> list[int]:
    """``total`` split into ``parts`` positive multiples of ``unit`` (the last takes the rest)."""
    if parts <= 1 or total < unit * parts:
        return [total]
    cuts = sorted(rng.sample(range(1, total // unit), parts - 1))
    bounds = [0, *(c * unit for c in cuts), total]
    return [b - a for a, b in itertools.pairwise(bounds) if b - a > 0]


def generate_projects(rng: random.Random, scale: Scale, shared: dict[str, Any], report: Report) -> None:
    Project = model_or_none("projects.Project")
    if Project is None:
        report.notes.append("projects.Project chưa có: bỏ qua đề án")
        return
    from projects.models import ActivityCategory, ProjectBeneficiary, ProjectCodeCounter
    from projects.services import province_prefix

    orgs = _organisations()
    provinces = {p.code: p for p in Province.objects.order_by("code")}
    prefixes = {code: province_prefix(p) for code, p in provinces.items()}
    categories = list(ActivityCategory.objects.order_by("position", "code"))
    cap_rules = _cap_rules()
    facility_province: list[int] = shared["facility_province"]
    facility_commune: list[int] = shared["facility_commune"]
    active_by_province: dict[int, list[int]] = defaultdict(list)
    for fid0, (prov, active) in enumerate(zip(facility_province, shared["facility_active"], strict=True)):
        if active:
            active_by_province[prov].append(fid0 + 1)
    province_codes = sorted(active_by_province)
    province_weights = [len(active_by_province[c]) for c in province_codes]
    trades = [t for _, _, products in names.TRADES for t in products]

    counters: dict[tuple[int, int], int] = defaultdict(int)
    projects: list[dict[str, Any]] = []
    beneficiaries: list[dict[str, Any]] = []
    project_communes: list[tuple[int, int]] = []
    extra_categories: list[tuple[int, int]] = []
    meta: list[dict[str, Any]] = []  # what the money part needs per project
    per_year = scale.projects // len(YEARS)
    pid = 0
    for year in YEARS:
        count = per_year + (scale.projects - per_year * len(YEARS) if year == YEARS[-1] else 0)
        chosen_provinces = rng.choices(province_codes, weights=province_weights, k=count)
        mix = STATUS_MIX["current" if year == CURRENT_YEAR else "last" if year == CURRENT_YEAR - 1 else "old"]
        for prov in chosen_provinces:
            pid += 1
            valid = [
                c
                for c in categories
                if c.valid_from.year <= year and (c.valid_to is None or c.valid_to.year >= year)
            ]
            category = rng.choices(valid, weights=[6, 3, 8, 5, 3, 2, 1, 1, 2, 2, 2, 1][: len(valid)])[0]
            kind = rng.choices(["thuong", "nhom", "diem"], [85, 10, 5])[0]
            duration = 1 if kind != "diem" else rng.choice([2, 3])
            end_year = year + duration - 1
            if kind == "diem" and end_year > CURRENT_YEAR + 2:
                end_year = CURRENT_YEAR + 2
            status = rng.choices([s for s, _ in mix], [w for _, w in mix])[0]
            level = "kcqg" if rng.random() < 0.3 else "kcdp"
            counters[(prov, year)] += 1
            code = f"{prefixes[prov]}-{year}-{counters[(prov, year)]:03d}"
            pool = active_by_province[prov]
            n_benef = rng.randint(5, 20) if kind == "nhom" else rng.randint(1, 5)
            if kind == "nhom" and status in ("draft", "submitted", "appraised", "approved"):
                n_benef = 0  # beneficiaries of a group project are named after approval
            picked = sorted(set(rng.choices(pool, k=n_benef))) if pool and n_benef else []
            unit = 1_000_000
            base = rng.randint(100, 600) if level == "kcdp" else rng.randint(300, 2_000)
            total_cost = base * unit * duration
            trade = rng.choice(trades).lower()
            communes = sorted({facility_commune[f - 1] for f in picked}) or []
            where = (
                f"tỉnh {short_place(provinces[prov].name)}"
                if not communes
                else f"xã {short_place(provinces[prov].name)}"
                if len(communes) > 1
                else "trên địa bàn"
            )
            title = TITLES.get(category.code, "Đề án khuyến công {trade} {where}").format(
                trade=trade, where=where
            )
            title = f"{title} năm {year}" if duration == 1 else f"{title} giai đoạn {year}–{end_year}"
            decided = status in DECIDED
            decision_date = _date(rng, year, 1, 4) if decided or status in ("rejected", "stopped") else None
            dept, centre, staff = orgs[prov]
            signer = "BCT" if level == "kcqg" else "UBND"
            decision_number = f"{rng.randint(100, 3999)}/QĐ-{signer}" if decision_date else ""
            created = dt.datetime(year - 1, rng.randint(9, 12), rng.randint(1, 28), 9, tzinfo=TZ)
            projects.append(
                {
                    "id": pid,
                    "code": code,
                    "title": title,
                    "start_year": year,
                    "end_year": end_year,
                    "funding_level": level,
                    "category_id": category.pk,
                    "kind": kind,
                    "is_key": rng.random() < 0.15,
                    "selection_method": "dau_thau" if category.code in BIDDING else "xet_chon",
                    "province_id": prov,
                    "managing_organisation_id": dept,
                    "implementing_unit_id": centre,
                    "implementing_unit_name": "",
                    "objectives": f"Hỗ trợ {len(picked) or 'các'} cơ sở {trade}; nâng cao năng suất.",
                    "total_cost": total_cost,
                    "status": status,
                    "appraisal_score": rng.randint(60, 98) if status not in UNAPPRAISED else None,
                    "decision_number": decision_number,
                    "decision_date": decision_date,
                    "decision_signer": person_name(rng)[0] if decision_date else "",
                    "version": 1,
                    "created_by_id": staff,
                    "updated_by_id": staff,
                    "created_at": created,
                    "updated_at": created,
                }
            )  # fmt: skip
            for f in picked:
                beneficiaries.append(
                    {
                        "project_id": pid,
                        "facility_id": f,
                        "note": trade,
                        "added_by_id": staff,
                        "added_at": created,
                    }
                )
            project_communes.extend((pid, c) for c in communes)
            if kind == "diem":
                other = rng.choice([c for c in valid if c.pk != category.pk])
                extra_categories.append((pid, other.pk))
            meta.append(
                {
                    "id": pid,
                    "province": prov,
                    "year": year,
                    "end_year": end_year,
                    "level": level,
                    "status": status,
                    "category": category,
                    "total_cost": total_cost,
                    "facilities": max(len(picked), 1),
                    "decision_date": decision_date,
                    "decision_number": projects[-1]["decision_number"],
                    "staff": staff,
                }
            )

    report.counts["projects"] = copy_rows(Project, projects)
    reset_sequence(Project)
    report.counts["project_beneficiaries"] = copy_rows(
        ProjectBeneficiary, ({"id": i, **row} for i, row in enumerate(beneficiaries, start=1))
    )
    reset_sequence(ProjectBeneficiary)
    through = m2m_through(Project, "communes")
    copy_rows(
        through, ({"id": i, "project_id": p, "commune_id": c} for i, (p, c) in enumerate(project_communes, 1))
    )
    reset_sequence(through)
    through = m2m_through(Project, "extra_categories")
    copy_rows(
        through,
        (
            {"id": i, "project_id": p, "activitycategory_id": c}
            for i, (p, c) in enumerate(extra_categories, 1)
        ),
    )
    reset_sequence(through)
    copy_rows(
        ProjectCodeCounter,
        (
            {"id": i, "province_id": p, "year": y, "last_number": n}
            for i, ((p, y), n) in enumerate(sorted(counters.items()), 1)
        ),
    )
    reset_sequence(ProjectCodeCounter)
    shared["projects"] = meta
    shared["cap_rules"] = cap_rules
    generate_money(rng, scale, shared, report)


def generate_money(rng: random.Random, scale: Scale, shared: dict[str, Any], report: Report) -> None:
    Allocation = model_or_none("funding.Allocation")
    if Allocation is None:
        report.notes.append("funding.Allocation chưa có: bỏ qua kinh phí")
        return
    from funding.models import (
        AllocationVersion,
        BudgetEnvelope,
        CostPlanLine,
        FundingProfile,
        MoneyEntry,
        Settlement,
        SettlementLine,
    )

    cap_rules = shared["cap_rules"]
    allocations: list[dict[str, Any]] = []
    plan_lines: list[dict[str, Any]] = []
    profiles: list[dict[str, Any]] = []
    alloc_meta: list[dict[str, Any]] = []
    envelope_sum: dict[tuple[int, int, str], int] = defaultdict(int)
    envelope_ids: dict[tuple[int, int, str], int] = {}

    for p in shared["projects"]:
        years = list(range(p["year"], p["end_year"] + 1))
        cost = p["total_cost"]
        profiles.append(
            {"id": p["id"], "project_id": p["id"], "eligible_cost": None, "facilities": p["facilities"],
             "priority_area": False, "technology_line": False, "version": 1}
        )  # fmt: skip
        share = rng.randint(40, 70)
        state = cost * share // 100 // 1_000_000 * 1_000_000
        day = p["decision_date"] or dt.date(p["year"], 3, 1)
        limit = _cap_limit(cap_rules.get(p["category"].pk, []), day, cost, p["facilities"])
        if limit is not None:
            state = min(state, limit // 1_000 * 1_000)
        sources = {p["level"]: state}
        if p["level"] == "kcqg" and rng.random() < 0.25:  # local co-funding of a national project
            local = state // 5 // 1_000_000 * 1_000_000
            sources = {"kcqg": state - local, "kcdp": local}
        by_year = {src: _split(rng, amount, len(years), 1_000_000) for src, amount in sources.items()}
        for src, parts in by_year.items():
            parts = parts + [0] * (len(years) - len(parts))
            for year, amount in zip(years, parts, strict=True):
                plan_lines.append({"project_id": p["id"], "source": src, "year": year, "amount": amount})
                if p["status"] in HAS_MONEY and amount > 0 and year <= CURRENT_YEAR:
                    key = (p["province"], year, src)
                    envelope_sum[key] += amount
                    allocations.append(
                        {
                            "id": len(allocations) + 1,
                            "project_id": p["id"],
                            "envelope_key": key,
                            "source": src,
                            "year": year,
                            "amount": amount,
                            "decision_number": p["decision_number"],
                            "decision_date": p["decision_date"]
                            if year == p["year"]
                            else dt.date(year, 1, 15),
                        }
                    )
                    alloc_meta.append(p)
        counterpart = cost - sum(sources.values())
        for year, amount in zip(years, _split(rng, counterpart, len(years), 1_000_000), strict=False):
            plan_lines.append(
                {"project_id": p["id"], "source": "counterpart", "year": year, "amount": amount}
            )

    # Envelopes cover their allocations with some headroom.
    envelopes = []
    for i, key in enumerate(sorted(envelope_sum), start=1):
        province, year, level = key
        allocated = envelope_sum[key]
        envelope_ids[key] = i
        envelopes.append(
            {
                "id": i,
                "province_id": province,
                "year": year,
                "level": level,
                "amount": (allocated * rng.randint(102, 125) // 100 // 1_000_000 + 1) * 1_000_000,
                "allocated": allocated,
                "decision_number": f"{rng.randint(10, 999)}/QĐ-{'BCT' if level == 'kcqg' else 'UBND'}",
                "decision_date": dt.date(year - 1, 12, rng.randint(10, 28)),
                "version": 1,
            }
        )
    report.counts["budget_envelopes"] = copy_rows(BudgetEnvelope, envelopes)
    reset_sequence(BudgetEnvelope)
    report.counts["cost_plan_lines"] = copy_rows(
        CostPlanLine, ({"id": i, **row} for i, row in enumerate(plan_lines, start=1))
    )
    reset_sequence(CostPlanLine)
    copy_rows(FundingProfile, profiles)
    reset_sequence(FundingProfile)

    # Ledger rows: spread the row budget over allocations by status.
    budget = max(scale.money_rows - len(allocations), 0)
    weights = [ENTRY_WEIGHT[p["status"]] for p in alloc_meta]
    factor = budget / max(sum(weights), 1)
    entries: list[dict[str, Any]] = []
    disbursed_by_project: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    last_date_by_project: dict[int, dt.date] = {}
    for alloc, p, weight in zip(allocations, alloc_meta, weights, strict=True):
        want = weight * factor
        k = int(want) + (1 if rng.random() < want - int(want) else 0)
        amount = alloc["amount"]
        ceiling = amount * p["category"].advance_ceiling_pct // 100
        advanced = recovered = paid = 0
        day = alloc["decision_date"] + dt.timedelta(days=rng.randint(15, 40))
        finishing = p["status"] in ("accepted", "settled")
        n_adv = 0 if k == 0 else (1 if k < 3 else 2)
        n_rec = 1 if k >= 5 and rng.random() < 0.15 else 0
        n_pay = max(k - n_adv - n_rec, 0)
        target_adv = ceiling * rng.randint(50, 100) // 100 // 1_000 * 1_000
        rows: list[tuple[str, int]] = (
            [("advance", a) for a in _split(rng, target_adv, n_adv)] if n_adv else []
        )
        if n_rec:
            rows.append(("recovery", max(target_adv // 10 // 1_000 * 1_000, 1_000)))
        if n_pay:
            spend = amount if finishing else min(amount * rng.randint(40, 90) // 100, ceiling)
            remaining_pay = spend - target_adv + (rows[-1][1] if n_rec else 0)
            if remaining_pay >= n_pay * 1_000:
                rows += [("payment", a) for a in _split(rng, remaining_pay // 1_000 * 1_000, n_pay)]
        for kind, value in rows:
            if value <= 0:
                continue
            if kind == "advance" and (
                advanced + value > ceiling or advanced - recovered + paid + value > amount
            ):
                continue
            if kind == "recovery" and value > advanced - recovered:
                continue
            if kind == "payment" and advanced - recovered + paid + value > amount:
                continue
            if not finishing and kind != "recovery" and advanced - recovered + paid + value > ceiling:
                continue
            if kind == "advance":
                advanced += value
            elif kind == "recovery":
                recovered += value
            else:
                paid += value
            day = min(day + dt.timedelta(days=rng.randint(10, 60)), dt.date(alloc["year"], 12, 31))
            entries.append(
                {
                    "id": len(entries) + 1,
                    "allocation_id": alloc["id"],
                    "kind": kind,
                    "amount": value,
                    "voucher_number": f"{kind[:2].upper()}{alloc['year']}-{len(entries) + 1:07d}",
                    "voucher_date": day,
                    "document": "",
                    "note": "",
                    "reverses_id": None,
                    "recorded_by_id": p["staff"],
                    "recorded_at": dt.datetime.combine(day, dt.time(10), tzinfo=TZ),
                }
            )
        alloc["advanced"], alloc["recovered"], alloc["paid"] = advanced, recovered, paid
        disbursed_by_project[p["id"]][alloc["source"]] += advanced - recovered + paid
        last_date_by_project[p["id"]] = max(day, last_date_by_project.get(p["id"], day))

    alloc_rows = []
    versions = []
    for alloc in allocations:
        key = alloc.pop("envelope_key")
        alloc_rows.append({**alloc, "envelope_id": envelope_ids[key], "version": 1})
        p_staff = alloc_meta[alloc["id"] - 1]["staff"]
        versions.append(
            {
                "id": alloc["id"],
                "allocation_id": alloc["id"],
                "number": 1,
                "amount": alloc["amount"],
                "decision_number": alloc["decision_number"],
                "decision_date": alloc["decision_date"],
                "reason": "",
                "created_by_id": p_staff,
            }
        )
    report.counts["allocations"] = copy_rows(Allocation, alloc_rows)
    reset_sequence(Allocation)
    copy_rows(AllocationVersion, versions)
    reset_sequence(AllocationVersion)
    report.counts["money_entries"] = copy_rows(MoneyEntry, entries)
    reset_sequence(MoneyEntry)

    # Settlements of settled projects.
    planned: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in plan_lines:
        planned[line["project_id"]][line["source"]] += line["amount"]
    allocated_by_project: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for alloc in allocations:
        allocated_by_project[alloc["project_id"]][alloc["source"]] += alloc["amount"]
    settlements: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    for p in shared["projects"]:
        if p["status"] != "settled":
            continue
        sid = len(settlements) + 1
        last = last_date_by_project.get(p["id"], dt.date(p["end_year"], 11, 30))
        settle_day = min(last + dt.timedelta(days=rng.randint(5, 30)), dt.date(p["end_year"] + 1, 1, 22))
        settlements.append(
            {
                "id": sid,
                "project_id": p["id"],
                "year": p["end_year"],
                "decision_number": f"{rng.randint(10, 999)}/QĐ-QT",
                "decision_date": settle_day,
                "note": "",
                "recorded_by_id": p["staff"],
                "recorded_at": dt.datetime.combine(settle_day, dt.time(15), tzinfo=TZ),
            }
        )
        for source in ("kcqg", "kcdp", "counterpart"):
            plan = planned[p["id"]].get(source, 0)
            if source == "counterpart":
                if plan:
                    lines.append({"settlement_id": sid, "source": source, "planned": plan, "allocated": 0,
                                  "disbursed": 0, "actual": plan, "returned": 0})  # fmt: skip
                continue
            if not plan and not allocated_by_project[p["id"]].get(source):
                continue
            spent = disbursed_by_project[p["id"]].get(source, 0)
            returned = spent * rng.choice([0, 0, 0, 2, 5]) // 100 // 1_000 * 1_000
            lines.append(
                {"settlement_id": sid, "source": source, "planned": plan,
                 "allocated": allocated_by_project[p["id"]].get(source, 0), "disbursed": spent,
                 "actual": spent - returned, "returned": returned}
            )  # fmt: skip
    report.counts["settlements"] = copy_rows(Settlement, settlements)
    reset_sequence(Settlement)
    copy_rows(SettlementLine, ({"id": i, **row} for i, row in enumerate(lines, start=1)))
    reset_sequence(SettlementLine)
    report.counts["money_rows (allocations + entries)"] = len(alloc_rows) + len(entries)


def _money_checks() -> None:
    if model_or_none("funding.Allocation") is None:
        return
    VERIFY_SQL.extend(
        [
            (
                "SELECT COUNT(*) FROM funding_allocation a LEFT JOIN (SELECT allocation_id, "
                "SUM(amount) FILTER (WHERE kind='advance') adv, "
                "SUM(amount) FILTER (WHERE kind='recovery') rec, "
                "SUM(amount) FILTER (WHERE kind='payment') pay FROM funding_moneyentry GROUP BY 1) e "
                "ON e.allocation_id = a.id WHERE a.advanced <> COALESCE(e.adv, 0) "
                "OR a.recovered <> COALESCE(e.rec, 0) OR a.paid <> COALESCE(e.pay, 0)",
                "kinh phí giao có tổng tạm ứng/thu hồi/thanh toán khác tổng bút toán",
            ),
            (
                "SELECT COUNT(*) FROM funding_budgetenvelope b LEFT JOIN (SELECT envelope_id, SUM(amount) s "
                "FROM funding_allocation GROUP BY 1) a ON a.envelope_id = b.id "
                "WHERE b.allocated <> COALESCE(a.s, 0) OR b.allocated > b.amount",
                "dự toán có số đã phân bổ khác tổng kinh phí giao",
            ),
            (
                "SELECT COUNT(*) FROM funding_allocation a JOIN projects_project p ON p.id = a.project_id "
                "JOIN projects_activitycategory c ON c.id = p.category_id "
                "WHERE a.advanced > a.amount * c.advance_ceiling_pct / 100 "
                "OR a.advanced - a.recovered + a.paid > a.amount OR a.recovered > a.advanced",
                "kinh phí giao vượt mức tạm ứng hoặc đã chi vượt kinh phí giao",
            ),
            (
                "SELECT COUNT(*) FROM funding_allocation a JOIN projects_project p ON p.id = a.project_id "
                f"WHERE p.status NOT IN ({', '.join(repr(s) for s in DECIDED_STATES)}) "
                "OR a.year < p.start_year OR a.year > p.end_year",
                "kinh phí giao cho đề án chưa phê duyệt hoặc ngoài thời gian thực hiện",
            ),
            (
                "SELECT COUNT(*) FROM funding_moneyentry e "
                "JOIN funding_allocation a ON a.id = e.allocation_id "
                "JOIN projects_project p ON p.id = a.project_id "
                f"WHERE p.status NOT IN ({', '.join(repr(s) for s in reached_states('contracted'))})",
                "bút toán của đề án chưa ký hợp đồng",
            ),
            (
                "SELECT COUNT(*) FROM funding_allocation a JOIN projects_project p ON p.id = a.project_id "
                "JOIN projects_activitycategory c ON c.id = p.category_id "
                f"WHERE p.status IN {gates.sql_ceiling_states()} "
                "AND a.advanced - a.recovered + a.paid > a.amount * c.advance_ceiling_pct / 100",
                "trước nghiệm thu, tạm ứng và thanh toán vượt mức tạm ứng",
            ),
            (
                "SELECT COUNT(*) FROM funding_allocation a "
                "WHERE a.amount > (SELECT COALESCE(SUM(l.amount), 0) FROM funding_costplanline l "
                "WHERE l.project_id = a.project_id AND l.source = a.source AND l.year = a.year)",
                "kinh phí giao vượt kế hoạch kinh phí của nguồn trong năm",
            ),
            (
                "SELECT COUNT(*) FROM (SELECT p.id, p.total_cost, SUM(l.amount) s FROM projects_project p "
                "JOIN funding_costplanline l ON l.project_id = p.id GROUP BY 1, 2) t "
                "WHERE t.s <> t.total_cost",
                "kế hoạch kinh phí theo nguồn không bằng tổng kinh phí đề án",
            ),
        ]
    )


_money_checks()
PARTS.append(("projects_and_money", generate_projects))
