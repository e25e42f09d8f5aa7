"""The open datasets: aggregated figures from the dashboard's own selector (reports.selectors), and the
list of supported registered enterprises and cooperatives. No personal data: no personal ID numbers,
no household businesses (their names are their owners'), no representatives, addresses or phones.

"By year" has the dashboard's meaning: the projects carried out in that year (start ≤ year ≤ end) and
all their money. A snapshot is built once and cached (``SNAPSHOT_TTL``); it carries its data date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Facility, FacilityKind
from projects import workflow
from projects.models import ActivityCategory, IndicatorKind, Project
from regions.models import LegacyProvince, Province
from reports.selectors import ALL_SOURCES, Facts, Filters, dashboard_facts, default_year_range

SNAPSHOT_TTL = 3600
CACHE_KEY = "opendata:snapshot:v1"
#: Registered entities only: enterprises and cooperatives (never household businesses or groups).
PUBLIC_FACILITY_KINDS = (FacilityKind.SME, FacilityKind.COOPERATIVE, FacilityKind.COOPERATIVE_UNION)
MAX_YEARS = 10


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # Frictionless: integer | string | year
    title: Any  # Vietnamese (lazy)
    title_en: str
    description: Any = ""
    description_en: str = ""


@dataclass(frozen=True)
class Resource:
    name: str
    title: Any
    title_en: str
    description: Any
    description_en: str
    fields: tuple[FieldSpec, ...]


def _f(
    name: str, type_: str, title: Any, title_en: str, description: Any = "", description_en: str = ""
) -> FieldSpec:
    return FieldSpec(name, type_, title, title_en, description, description_en)


YEAR = _f(
    "year",
    "year",
    _("Năm"),
    "Year",
    _("Năm thực hiện: đề án có năm bắt đầu ≤ năm này ≤ năm kết thúc."),
    "Year of implementation: projects whose start year ≤ this year ≤ end year.",
)
PROJECTS = _f(
    "projects",
    "integer",
    _("Số đề án"),
    "Projects",
    _("Số đề án thực hiện trong năm (mọi trạng thái, như bảng điều khiển)."),
    "Number of projects running in the year (every state, as on the dashboard).",
)
APPROVED = _f(
    "approved",
    "integer",
    _("Kinh phí giao (đồng)"),
    "Approved funding (VND)",
    _("Kinh phí ngân sách giao (KCQG và KCĐP) cho các đề án, đồng."),
    "State funding allocated (national and local industrial extension), in Vietnamese đồng.",
)
DISBURSED = _f(
    "disbursed",
    "integer",
    _("Đã giải ngân (đồng)"),
    "Disbursed (VND)",
    _("Đã chi: tạm ứng (trừ thu hồi) và thanh toán, đồng."),
    "Spent: advances (net of recoveries) and payments, in đồng.",
)
PROVINCE_CODE = _f(
    "province_code", "integer", _("Mã tỉnh"), "Province code", _("Mã tỉnh/thành phố (từ 1/7/2025)."),
    "National code of the province or city (since 1 July 2025).",
)  # fmt: skip
PROVINCE_NAME = _f("province_name", "string", _("Tỉnh/thành phố"), "Province")

RESOURCES: dict[str, Resource] = {
    r.name: r
    for r in (
        Resource(
            "theo-tinh",
            _("Đề án và kinh phí khuyến công theo tỉnh và năm"),
            "Industrial extension projects and funding by province and year",
            _("Mỗi dòng: một tỉnh/thành phố trong một năm."),
            "One row per province and year.",
            (YEAR, PROVINCE_CODE, PROVINCE_NAME, PROJECTS, APPROVED, DISBURSED),
        ),
        Resource(
            "theo-tinh-cu",
            _("Đề án và kinh phí theo tỉnh cũ (trước 1/7/2025), cả giai đoạn"),
            "Projects and funding by former province (before 1 July 2025), whole period",
            _("Đề án ghi nhận thuộc tỉnh cũ (như bộ lọc “Tỉnh cũ” của bảng điều khiển)."),
            "Projects recorded under the former province (as the dashboard's former-province filter).",
            (
                _f("year_from", "year", _("Từ năm"), "From year"),
                _f("year_to", "year", _("Đến năm"), "To year"),
                _f("former_province_code", "integer", _("Mã tỉnh cũ"), "Former province code"),
                _f("former_province_name", "string", _("Tỉnh cũ"), "Former province"),
                PROVINCE_CODE,
                PROJECTS,
                APPROVED,
                DISBURSED,
            ),
        ),
        Resource(
            "theo-noi-dung",
            _("Đề án và kinh phí theo nội dung hoạt động, cấp kinh phí và năm"),
            "Projects and funding by activity, funding level and year",
            _("Nội dung theo Nghị định 45/2012/NĐ-CP (sửa đổi bởi Nghị định 235/2025/NĐ-CP)."),
            "Activities of Decree 45/2012 as amended by Decree 235/2025.",
            (
                YEAR,
                _f("category_code", "string", _("Mã nội dung"), "Activity code"),
                _f("category_name", "string", _("Nội dung hoạt động"), "Activity"),
                _f(
                    "funding_level",
                    "string",
                    _("Cấp kinh phí"),
                    "Funding level",
                    _("kcqg: khuyến công quốc gia; kcdp: khuyến công địa phương."),
                    "kcqg: national industrial extension; kcdp: local industrial extension.",
                ),
                PROJECTS,
                APPROVED,
                DISBURSED,
            ),
        ),
        Resource(
            "theo-nguon",
            _("Kinh phí theo nguồn và năm"),
            "Funding by source and year",
            _("Kế hoạch, giao, tạm ứng, thanh toán, giải ngân, quyết toán theo nguồn."),
            "Planned, approved, advanced, paid, disbursed and settled amounts by source.",
            (
                YEAR,
                _f(
                    "source",
                    "string",
                    _("Nguồn"),
                    "Source",
                    _("kcqg, kcdp, counterpart (vốn đối ứng của cơ sở), other (nguồn khác)."),
                    "kcqg, kcdp, counterpart (beneficiary's own money), other.",
                ),
                _f("planned", "integer", _("Kế hoạch (đồng)"), "Planned (VND)"),
                _f("approved", "integer", _("Kinh phí giao (đồng)"), "Approved (VND)"),
                _f("advanced", "integer", _("Tạm ứng, trừ thu hồi (đồng)"), "Advanced, net (VND)"),
                _f("paid", "integer", _("Thanh toán (đồng)"), "Paid (VND)"),
                _f("disbursed", "integer", _("Đã giải ngân (đồng)"), "Disbursed (VND)"),
                _f("settled", "integer", _("Quyết toán (đồng)"), "Settled (VND)"),
            ),
        ),
        Resource(
            "chi-tieu",
            _("Kết quả (chỉ tiêu) theo năm"),
            "Results (indicators) by year",
            _("Tổng chỉ tiêu kế hoạch và thực hiện của các đề án."),
            "Planned and achieved indicators of the projects, summed.",
            (
                YEAR,
                _f("indicator", "string", _("Mã chỉ tiêu"), "Indicator code"),
                _f("indicator_name", "string", _("Chỉ tiêu"), "Indicator"),
                _f("planned", "integer", _("Kế hoạch"), "Planned"),
                _f("actual", "integer", _("Thực hiện"), "Achieved"),
            ),
        ),
        Resource(
            "co-so-duoc-ho-tro",
            _("Doanh nghiệp, hợp tác xã được hỗ trợ"),
            "Enterprises and cooperatives supported",
            _(
                "Chỉ doanh nghiệp, hợp tác xã, liên hiệp hợp tác xã có mã số thuế, thụ hưởng đề án "
                "đã phê duyệt. Không có hộ kinh doanh, không có dữ liệu cá nhân."
            ),
            "Registered enterprises, cooperatives and unions of cooperatives with a tax code that "
            "benefit from approved projects. No household businesses, no personal data.",
            (
                _f("tax_code", "string", _("Mã số thuế"), "Tax code"),
                _f("name", "string", _("Tên doanh nghiệp, hợp tác xã"), "Name"),
                _f(
                    "kind",
                    "string",
                    _("Loại hình"),
                    "Type",
                    _("dnnvv, htx, lien_hiep_htx."),
                    "SME, cooperative, union.",
                ),
                PROVINCE_CODE,
                PROVINCE_NAME,
                _f("commune_code", "integer", _("Mã xã"), "Commune code"),
                _f("commune_name", "string", _("Xã/phường/đặc khu"), "Commune"),
                _f("projects", "integer", _("Số đề án được hỗ trợ"), "Projects supporting it"),
                _f("first_year", "year", _("Năm đầu"), "First year"),
                _f("last_year", "year", _("Năm cuối"), "Last year"),
            ),
        ),
    )
}


@dataclass
class Snapshot:
    """Every open figure at one moment."""

    built_at: dt.datetime
    years: list[int]
    period: Facts
    by_year: dict[int, Facts]
    by_former_province: list[dict[str, Any]] = field(default_factory=list)
    rows: dict[str, list[list[Any]]] = field(default_factory=dict)


def covered_years(today: dt.date | None = None) -> list[int]:
    """From the first project's year (at most ten years back) to this year."""
    y1, y2 = default_year_range(today)
    first = Project.objects.aggregate(first=Min("start_year"))["first"]  # scope: public aggregate (open data)
    start = max(min(first or y1, y1), y2 - MAX_YEARS + 1)
    return list(range(start, y2 + 1))


def build_snapshot() -> Snapshot:
    """Compute every open dataset (one dashboard query per year, per former province, and the period)."""
    years = covered_years()
    period = dashboard_facts(None, Filters(years[0], years[-1]), single_province=False)
    by_year = {y: dashboard_facts(None, Filters(y, y), single_province=False) for y in years}
    snap = Snapshot(built_at=timezone.now(), years=years, period=period, by_year=by_year)
    provinces = {p.pk: p.name for p in Province.objects.all()}  # scope: national reference data
    categories = {c.pk: c for c in ActivityCategory.objects.all()}
    active = {a["id"] for a in period.areas if a["projects"]}
    former = []
    for legacy in LegacyProvince.objects.order_by("name"):
        values = {"projects": 0, "approved": 0, "disbursed": 0}
        if legacy.province_id in active:
            facts = dashboard_facts(
                None, Filters(years[0], years[-1], legacy_province=legacy.pk), single_province=False
            )
            values = {
                "projects": facts.project_count,
                "approved": facts.approved,
                "disbursed": facts.disbursed,
            }
        former.append({"code": legacy.pk, "name": legacy.name, "province": legacy.province_id, **values})
    snap.by_former_province = former
    snap.rows = {
        "theo-tinh": _by_province(by_year, provinces),
        "theo-tinh-cu": [
            [
                years[0],
                years[-1],
                f["code"],
                f["name"],
                f["province"],
                f["projects"],
                f["approved"],
                f["disbursed"],
            ]
            for f in former
        ],
        "theo-noi-dung": _by_category(by_year, categories),
        "theo-nguon": _by_source(by_year),
        "chi-tieu": _indicators(by_year),
        "co-so-duoc-ho-tro": _facilities(),
    }
    return snap


def _by_province(by_year: dict[int, Facts], provinces: dict[int, str]) -> list[list[Any]]:
    rows = []
    for year, facts in by_year.items():
        areas = {a["id"]: a for a in facts.areas}
        for code, name in sorted(provinces.items(), key=lambda p: p[1]):
            a = areas.get(code, {"projects": 0, "approved": 0, "disbursed": 0})
            rows.append([year, code, name, a["projects"], a["approved"], a["disbursed"]])
    return rows


def _by_category(by_year: dict[int, Facts], categories: dict[int, Any]) -> list[list[Any]]:
    rows = []
    for year, facts in by_year.items():
        for (cat, level), v in sorted(
            facts.category_level.items(), key=lambda kv: (categories[kv[0][0]].position, kv[0])
        ):
            c = categories[cat]
            rows.append(
                [year, c.code, c.short_name or c.name, level, v["projects"], v["approved"], v["disbursed"]]
            )
    return rows


def _by_source(by_year: dict[int, Facts]) -> list[list[Any]]:
    rows = []
    for year, facts in by_year.items():
        for source in ALL_SOURCES:
            m = facts.money[source]
            rows.append([year, source, m.planned, m.approved, m.advanced, m.paid, m.disbursed, m.settled])
    return rows


def _indicators(by_year: dict[int, Facts]) -> list[list[Any]]:
    rows = []
    for year, facts in by_year.items():
        for kind in IndicatorKind.values:
            values = facts.indicators.get(kind)
            if values:
                rows.append([year, kind, str(IndicatorKind(kind).label), values["planned"], values["actual"]])
    return rows


def _facilities() -> list[list[Any]]:
    supported = (
        Facility.objects.filter(  # scope: public open data, registered entities only, no personal fields
            kind__in=PUBLIC_FACILITY_KINDS,
            project_links__project__status__in=workflow.DECIDED_STATES,
        )
        .exclude(tax_code="")
        .values("tax_code", "name", "kind", "province_id", "province__name", "commune_id", "commune__name")
        .annotate(
            projects=Count("project_links__project", distinct=True),
            first_year=Min("project_links__project__start_year"),
            last_year=Max("project_links__project__end_year"),
        )
        .order_by("province__name", "name", "tax_code")
    )
    return [
        [
            f["tax_code"],
            f["name"],
            f["kind"],
            f["province_id"],
            f["province__name"],
            f["commune_id"],
            f["commune__name"],
            f["projects"],
            f["first_year"],
            f["last_year"],
        ]
        for f in supported
    ]


def snapshot() -> Snapshot:
    """The cached snapshot, built when missing or older than ``SNAPSHOT_TTL``."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = build_snapshot()
        cache.set(CACHE_KEY, found, SNAPSHOT_TTL)
        cache.set(VERSION_KEY, found.built_at.timestamp(), SNAPSHOT_TTL)
    return found


VERSION_KEY = "opendata:snapshot:version"


def snapshot_version() -> float:
    """The build time of the cached snapshot: a small value, so a cached page is found without
    unpickling the whole snapshot on every request."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = snapshot().built_at.timestamp()
        cache.set(VERSION_KEY, version, SNAPSHOT_TTL)
    return version
