"""API routes × roles (session users) and × tokens (tests/matrix TOKEN_ROLES).

Sample objects: every app's (world.facility_a/b, project_a/b, project_running_a, fund_* …) plus a
settlement of province A; tokens: world.tokens[role] (see tests/api/tokens.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.matrix import MANAGER_ONLY, READ_A, READ_ALL, Case

# Anonymous callers of the API get 401 (no redirect to a login page).
API: dict[str, Any] = {"public": True, "anonymous": 401}
DOCS: dict[str, Any] = {"public": True, "anonymous": 200}
ALL_200 = {"staff_a": 200, "manager_a": 200, "staff_b": 200, "national_manager": 200, "admin": 200}
# Province B's object: its own staff and national users see it; province A gets 404.
READ_B = {"staff_a": 404, "manager_a": 404, "staff_b": 200, "national_manager": 200, "admin": 200}
# Writes on province A: staff and admins; managers lack the role permission (403); province B 404.
FACILITY_CREATE = {"staff_a": 201, "manager_a": 403, "staff_b": 400, "national_manager": 403, "admin": 201}
WRITE_A_200 = {"staff_a": 200, "manager_a": 403, "staff_b": 404, "national_manager": 403, "admin": 200}
WRITE_A_201 = {"staff_a": 201, "manager_a": 403, "staff_b": 404, "national_manager": 403, "admin": 201}

T_ALL = {"token_read_a": 200, "token_write_a": 200, "token_read_national": 200}
T_B = {"token_read_a": 404, "token_write_a": 404, "token_read_national": 200}
T_WRITE_201 = {"token_read_a": 403, "token_write_a": 201, "token_read_national": 403}
T_WRITE_200 = {"token_read_a": 403, "token_write_a": 200, "token_read_national": 403}


def setup(world: Any) -> None:
    from funding.models import Settlement, SettlementLine
    from tests.api.tokens import READ, WRITE, issue_token
    from tests.factories import money_project

    org_a = world.staff_a.organisation
    org_national = world.national_manager.organisation
    world.tokens = {
        "token_read_a": issue_token(org_a, READ, name="Đọc A")[1],
        "token_write_a": issue_token(org_a, WRITE, name="Ghi A")[1],
        "token_read_national": issue_token(org_national, READ, name="Đọc toàn quốc")[1],
    }
    accepted = money_project(world.province_a, status="accepted", title="Hội chợ hàng thủ công Phú Thọ")
    world.settlement_a = Settlement.objects.create(
        project=accepted,
        year=2026,
        decision_number="09/QĐ-SCT",
        decision_date=dt.date(2026, 11, 2),
        recorded_by=world.staff_a,
    )
    SettlementLine.objects.create(settlement=world.settlement_a, source="kcdp", actual=0)
    world.project_running_a.indicators.create(kind="trainees", planned=30)


def _facility(w: Any) -> dict[str, Any]:
    from tests.factories import commune_of

    return {
        "name": "Hợp tác xã Gốm Thanh Sơn (API)",
        "kind": "htx",
        "tax_code": "0101243150",
        "commune": commune_of(w.province_a, "xã").pk,
        "workers_total": 12,
        "workers_female": 5,
    }


def _progress(w: Any) -> dict[str, Any]:
    return {
        "period": "2026-05-10",
        "percent_done": 40,
        "money_used": 120_000_000,
        "problems": "Chậm giao thiết bị",
        "indicators": [{"kind": "trainees", "value": 12}],
    }


def _pk(attr: str):
    return lambda w: {"pk": getattr(w, attr).pk}


def _list(name: str, expect: dict[str, int] = READ_ALL, **kw: Any) -> Case:
    return Case(f"api:{name}", expect, tokens=T_ALL, **API, **kw)


CASES = [
    Case("api:schema", ALL_200, tokens=T_ALL, **DOCS),
    Case("api:docs", ALL_200, tokens=T_ALL, **DOCS),
    Case("api:redoc", ALL_200, tokens=T_ALL, **DOCS),
    _list("province_list"),
    Case("api:province_detail", READ_ALL, kwargs=lambda w: {"code": w.province_b.pk}, tokens=T_ALL, **API),
    _list("commune_list", query="province=25"),
    Case(
        "api:commune_detail",
        READ_ALL,
        kwargs=lambda w: {"code": w.facility_b.commune_id},
        tokens=T_ALL,
        **API,
    ),
    _list("former_province_list"),
    _list("former_district_list", query="province=25"),
    _list("former_commune_list", query="former_province=17"),
    _list("facility_list"),
    _list("facility_list", query="province=25&kind=htx&format=csv", id="facility_list-csv"),
    _list("facility_list", query="format=xlsx", id="facility_list-xlsx"),
    Case("api:facility_detail", READ_A, kwargs=_pk("facility_a"), tokens=T_ALL, **API),
    Case("api:facility_detail", READ_B, kwargs=_pk("facility_b"), tokens=T_B, id="facility_b", **API),
    Case(
        "api:facility_list",
        FACILITY_CREATE,
        method="post",
        data=_facility,
        json=True,
        tokens=T_WRITE_201,
        id="facility_create",
        **API,
    ),
    Case(
        "api:facility_detail",
        WRITE_A_200,
        kwargs=_pk("facility_a"),
        method="patch",
        data=lambda w: {"workers_total": 31},
        json=True,
        tokens=T_WRITE_200,
        id="facility_update",
        **API,
    ),
    _list("category_list"),
    _list("project_list"),
    _list(
        "project_list", query="year=2026&province=25&status=draft&updated_since=2020-01-01T00:00:00Z", id="pf"
    ),
    Case("api:project_detail", READ_A, kwargs=_pk("project_a"), tokens=T_ALL, **API),
    Case("api:project_detail", READ_B, kwargs=_pk("project_b"), tokens=T_B, id="project_b", **API),
    Case("api:progress_report_list", READ_A, kwargs=_pk("project_running_a"), tokens=T_ALL, **API),
    Case(
        "api:progress_report_list",
        WRITE_A_201,
        kwargs=_pk("project_running_a"),
        method="post",
        data=_progress,
        json=True,
        tokens=T_WRITE_201,
        id="progress_report_create",
        **API,
    ),
    _list("envelope_list"),
    _list("cost_plan_list"),
    _list("allocation_list", query="year=2026"),
    Case("api:allocation_detail", READ_A, kwargs=_pk("fund_allocation_a"), tokens=T_ALL, **API),
    _list("money_entry_list"),
    _list("settlement_list"),
    Case("api:settlement_detail", READ_A, kwargs=_pk("settlement_a"), tokens=T_ALL, **API),
    Case("api:dashboard", MANAGER_ONLY, tokens=T_ALL, **API),
    Case(
        "api:dashboard", MANAGER_ONLY, query="year_from=2026&year_to=2026", tokens=T_ALL, id="dash-y", **API
    ),
]
