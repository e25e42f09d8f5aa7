"""Deterministic national-scale data (domain.md §8): facilities, projects and money rows.

Everything comes from one ``random.Random(seed)`` walking inputs in a fixed order, so the same seed
gives the same rows. Rows go in with COPY (see :mod:`benchdata.copyload`) with triggers off
(``session_replication_role = replica``): the audit history of generated rows is not generated, and
every derived figure (a maintained total, a denormalised province) is computed here and checked by
:func:`verify` after the load.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models

from . import names
from .copyload import copy_rows, reset_sequence

TZ = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class Scale:
    facilities: int
    projects: int
    money_rows: int
    craft_villages: int


SCALES = {
    "full": Scale(facilities=500_000, projects=50_000, money_rows=250_000, craft_villages=5_000),
    "small": Scale(facilities=5_000, projects=500, money_rows=2_500, craft_villages=60),
    "tiny": Scale(facilities=300, projects=40, money_rows=200, craft_villages=6),
}


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def m2m_through(model: type[models.Model], name: str) -> type[models.Model]:
    """The through model of ``model.<name>`` (a many-to-many field)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.ManyToManyField):
        raise TypeError(f"{model.__name__}.{name} is not a many-to-many field")
    through = field.remote_field.through
    if through is None:  # set once the app registry is ready, which the generator needs anyway
        raise TypeError(f"{model.__name__}.{name} has no through model yet")
    return through


def model_or_none(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


# --- identifiers ----------------------------------------------------------------------------------
MST_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def mst_check_digit(nine: str) -> int | None:
    """The tenth digit of a Vietnamese tax code, or None when the first nine admit none."""
    remainder = sum(w * int(d) for w, d in zip(MST_WEIGHTS, nine, strict=True)) % 11
    if remainder == 0:
        return None
    return (10 - remainder) % 10 if remainder != 10 else 0


def tax_codes(rng: random.Random) -> Iterator[str]:
    """Unique, valid 10-digit tax codes (province-ish prefix, then a strided counter)."""
    n = rng.randrange(10_000_000)
    while True:
        n = (n + 7_919) % 100_000_000
        nine = f"0{n:08d}" if n % 3 == 0 else f"{2 + n % 8}{n:08d}"
        digit = mst_check_digit(nine)
        if digit is not None:
            yield f"{nine}{digit}"


def person_name(rng: random.Random, female: bool | None = None) -> tuple[str, bool]:
    if female is None:
        female = rng.random() < 0.45
    surname = rng.choices([s for s, _ in names.SURNAMES], [w for _, w in names.SURNAMES])[0]
    middle = rng.choice(names.MIDDLE_FEMALE if female else names.MIDDLE_MALE)
    given = rng.choice(names.GIVEN_FEMALE if female else names.GIVEN_MALE)
    return f"{surname} {middle} {given}", female


def short_place(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh ", "Xã ", "Phường ", "Đặc khu "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def aware(year: int, day_of_year: int, seconds: int) -> dt.datetime:
    base = dt.datetime(year, 1, 1, tzinfo=TZ) + dt.timedelta(days=day_of_year, seconds=seconds)
    return base


# --- the map -------------------------------------------------------------------------------------
@dataclass
class Place:
    code: int
    name: str
    province_id: int
    province_name: str
    kind: str
    legacy: list[int]


def load_places() -> tuple[list[Place], dict[int, str]]:
    """Communes where a facility may be (not a ward of a centrally-run city), in code order."""
    from regions.models import Commune, CommuneKind, LegacyCommune, Province, ProvinceKind

    provinces = {p.code: p for p in Province.objects.order_by("code")}
    legacy: dict[int, list[int]] = defaultdict(list)
    for code, commune_id in (
        LegacyCommune.objects.filter(commune__isnull=False).order_by("code").values_list("code", "commune_id")
    ):
        legacy[commune_id].append(code)
    places = []
    for c in Commune.objects.order_by("code").values("code", "name", "kind", "province_id"):
        prov = provinces[c["province_id"]]
        if c["kind"] == CommuneKind.WARD and prov.kind == ProvinceKind.CENTRAL_CITY:
            continue
        places.append(Place(c["code"], c["name"], prov.code, prov.name, c["kind"], legacy.get(c["code"], [])))
    return places, {code: p.name for code, p in provinces.items()}


# --- facilities ----------------------------------------------------------------------------------
KIND_WEIGHTS = [("ho_kinh_doanh", 78), ("dnnvv", 10), ("htx", 7), ("to_hop_tac", 4), ("lien_hiep_htx", 1)]


def sector_codes() -> dict[str, list[str]]:
    """The most specific VSIC codes loaded, grouped by division (first two digits)."""
    Sector = model_or_none("beneficiaries.Sector")
    by_division: dict[str, list[str]] = defaultdict(list)
    if Sector is None:
        return by_division
    codes = sorted(Sector._default_manager.values_list("code", flat=True))
    longest = max((len(c) for c in codes if c[:1].isdigit()), default=0)
    for code in codes:
        if code[:1].isdigit() and len(code) >= min(4, longest):
            by_division[code[:2]].append(code)
    return by_division


def workers_for(rng: random.Random, kind: str) -> int:
    if kind == "ho_kinh_doanh":
        return min(2 + int(rng.expovariate(1 / 3)), 40)
    if kind == "to_hop_tac":
        return rng.randint(5, 35)
    if kind == "htx":
        return min(7 + int(rng.lognormvariate(3.0, 0.8)), 400)
    if kind == "lien_hiep_htx":
        return rng.randint(30, 300)
    return min(10 + int(rng.lognormvariate(3.4, 0.9)), 1200)


def facility_name(rng: random.Random, kind: str, trade: str, owner: str, place: Place) -> str:
    where = short_place(place.name)
    if kind == "ho_kinh_doanh":
        return f"Hộ kinh doanh {owner}" if rng.random() < 0.6 else f"Cơ sở {trade.lower()} {owner}"
    if kind == "to_hop_tac":
        return f"Tổ hợp tác {trade.lower()} {where}"
    if kind == "htx":
        return f"Hợp tác xã {trade.lower()} {where}"
    if kind == "lien_hiep_htx":
        return f"Liên hiệp hợp tác xã {trade.lower()} {short_place(place.province_name)}"
    return f"{rng.choice(names.COMPANY_FORMS)} {trade} {where}"


def generate_facilities(
    rng: random.Random, scale: Scale, places: list[Place], report: Report
) -> dict[str, Any]:
    """Craft villages, facilities and their sectors. Returns what later parts need."""
    Facility = apps.get_model("beneficiaries.Facility")
    CraftVillage = model_or_none("beneficiaries.CraftVillage")
    highland = {p.province_id for p in places if p.province_name in names.HIGHLAND_PROVINCES}
    # Rural communes weigh more: a xã holds more CNNT facilities than a ward of a province.
    weights = [3 if p.kind == "xã" else 1 for p in places]
    trade_weights = [w for _, w, _ in names.TRADES]

    villages_by_commune: dict[int, list[int]] = defaultdict(list)
    if CraftVillage is not None:
        started = time.monotonic()
        chosen = rng.choices(range(len(places)), weights=weights, k=scale.craft_villages)
        village_rows: list[dict[str, Any]] = []
        seen = set()
        for i, idx in enumerate(chosen, start=1):
            place = places[idx]
            _, _, products = rng.choices(names.TRADES, trade_weights)[0]
            craft = rng.choice(products)
            name = f"Làng nghề {craft.lower()} {rng.choice(names.HAMLET_NAMES)}"
            if (place.code, name) in seen:
                name = f"{name} {i}"
            seen.add((place.code, name))
            village_rows.append(
                {
                    "id": i,
                    "name": name,
                    "province_id": place.province_id,
                    "commune_id": place.code,
                    "main_craft": craft,
                    "recognised_year": rng.choice([None, *range(2000, 2026)]),
                }
            )
            villages_by_commune[place.code].append(i)
        report.counts["craft_villages"] = copy_rows(CraftVillage, village_rows)
        reset_sequence(CraftVillage)
        report.seconds["craft_villages"] = time.monotonic() - started

    started = time.monotonic()
    sectors = sector_codes()
    codes = tax_codes(rng)
    kinds = [k for k, _ in KIND_WEIGHTS]
    kind_weights = [w for _, w in KIND_WEIGHTS]
    facility_places: list[int] = []  # province id per facility id - 1
    facility_communes: list[int] = []
    facility_kinds: list[str] = []
    facility_active: list[bool] = []
    m2m: list[tuple[int, str]] = []
    last_active_in_province: dict[int, int] = {}

    place_choice = rng.choices(range(len(places)), weights=weights, k=scale.facilities)

    def rows() -> Iterator[dict[str, Any]]:
        for fid, idx in enumerate(place_choice, start=1):
            place = places[idx]
            kind = rng.choices(kinds, kind_weights)[0]
            division, _, products = rng.choices(names.TRADES, trade_weights)[0]
            trade = rng.choice(products)
            owner, female = person_name(rng)
            total = workers_for(rng, kind)
            female_workers = min(total, int(total * rng.uniform(0.25, 0.8)))
            minority_share = rng.uniform(0.3, 0.95) if place.province_id in highland else rng.uniform(0, 0.08)
            minority_workers = min(total, int(total * minority_share))
            roll = rng.random()
            if roll < 0.95 or place.province_id not in last_active_in_province:
                status, merged_into = "active", None
            elif roll < 0.99:
                status, merged_into = "closed", None
            else:
                status, merged_into = "merged", last_active_in_province[place.province_id]
            household = kind in ("ho_kinh_doanh", "to_hop_tac")
            tax_code = "" if household else next(codes)
            personal_id = (
                f"{place.province_id:03d}{rng.choice('0123')}{rng.randint(50, 99):02d}{fid:06d}"[-12:]
                if household
                else ""
            )
            personal_id = personal_id.rjust(12, "0") if personal_id else ""
            village = villages_by_commune.get(place.code)
            per_worker = (
                rng.randint(120, 600) * 1_000_000 if not household else rng.randint(60, 250) * 1_000_000
            )
            created = aware(
                2016 + fid * 10 // max(scale.facilities, 1), rng.randrange(365), rng.randrange(86400)
            )
            facility_places.append(place.province_id)
            facility_communes.append(place.code)
            facility_kinds.append(kind)
            facility_active.append(status == "active")
            if status == "active":
                last_active_in_province[place.province_id] = fid
            if sectors.get(division):
                picks = {rng.choice(sectors[division])}
                if rng.random() < 0.15:
                    other = rng.choices(names.TRADES, trade_weights)[0][0]
                    if sectors.get(other):
                        picks.add(rng.choice(sectors[other]))
                m2m.extend((fid, code) for code in sorted(picks))
            yield {
                "id": fid,
                "name": facility_name(rng, kind, trade, owner, place),
                "kind": kind,
                "tax_code": tax_code,
                "personal_id": personal_id,
                "business_reg_no": "" if kind == "to_hop_tac" else f"{place.province_id:02d}{fid:08d}",
                "representative": owner,
                "phone": f"09{rng.randrange(10**8):08d}",
                "address": f"{rng.choice(names.HAMLET)} {rng.choice(names.HAMLET_NAMES)}",
                "commune_id": place.code,
                "province_id": place.province_id,
                "legacy_commune_id": rng.choice(place.legacy)
                if place.legacy and rng.random() < 0.3
                else None,
                "craft_village_id": rng.choice(village) if village and rng.random() < 0.7 else None,
                "main_products": trade,
                "year_founded": rng.randint(1985, 2025),
                "workers_total": total,
                "workers_female": female_workers,
                "workers_ethnic_minority": minority_workers,
                "annual_revenue": per_worker * total,
                "status": status,
                "merged_into_id": merged_into,
                "women_owned": female and rng.random() < 0.8,
                "minority_owned": minority_share > 0.5 and rng.random() < 0.7,
                "disadvantaged_area": place.province_id in highland and place.kind == "xã",
                "created_at": created,
                "updated_at": created,
            }

    report.counts["facilities"] = copy_rows(Facility, rows())
    reset_sequence(Facility)
    if m2m:
        through = m2m_through(Facility, "sectors")
        report.counts["facility_sectors"] = copy_rows(
            through,
            ({"id": i, "facility_id": f, "sector_id": s} for i, (f, s) in enumerate(m2m, start=1)),
        )
        reset_sequence(through)
    report.seconds["facilities"] = time.monotonic() - started
    return {
        "facility_province": facility_places,
        "facility_commune": facility_communes,
        "facility_kind": facility_kinds,
        "facility_active": facility_active,
    }


# --- orchestration -------------------------------------------------------------------------------
APP_TABLE_ORDER = ["reports", "funding", "projects", "beneficiaries"]
# Reference data loaded by migrations (and their audit tables) survive a regeneration.
KEEP_MODELS = {
    "beneficiaries.Sector",
    "projects.ActivityCategory",
    "projects.RequiredDocument",
    "funding.SupportCapRule",
}


def generated_models() -> list[type[models.Model]]:
    """Every table of the domain apps except reference data, dependants first."""
    found = []
    existing = set(connection.introspection.table_names())
    for label in APP_TABLE_ORDER:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models(include_auto_created=True):
            if not model._meta.managed or model._meta.proxy or model._meta.db_table not in existing:
                continue
            found.append(model)
    return found


def is_reference(model: type[models.Model]) -> bool:
    """Reference tables (loaded by migrations) survive a regeneration, with their audit events."""
    label = model._meta.label
    if label in KEEP_MODELS:
        return True
    return any(label == f"{kept}Event" for kept in KEEP_MODELS)


def truncate_generated() -> None:
    tables = [m._meta.db_table for m in generated_models() if not is_reference(m)]
    if not tables:
        return
    quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


PARTS: list[tuple[str, Callable[..., Any]]] = []


def generate(scale_name: str, seed: int, *, log: Callable[[str], None] = print) -> Report:
    """Build the whole data set for ``scale_name`` with ``seed``; returns counts and timings."""
    from . import projects_part  # noqa: F401  (registers its part in PARTS)

    scale = SCALES[scale_name]
    report = Report()
    rng = random.Random(seed)
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET maintenance_work_mem = '512MB'")
    try:
        truncate_generated()
        places, _ = load_places()
        log(f"  {len(places)} xã/phường/đặc khu đủ điều kiện")
        shared = generate_facilities(rng, scale, places, report)
        log(f"  {report.counts.get('facilities', 0):,} cơ sở trong {report.seconds['facilities']:.1f} s")
        for name, part in PARTS:
            part_started = time.monotonic()
            part(rng, scale, shared, report)
            report.seconds[name] = time.monotonic() - part_started
            log(f"  {name}: {report.seconds[name]:.1f} s")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
    analyse_started = time.monotonic()
    with connection.cursor() as cursor:
        for model in generated_models():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    report.seconds["analyze"] = time.monotonic() - analyse_started
    refresh_derived(report, log)
    report.seconds["total"] = time.monotonic() - started
    return report


def verify() -> list[str]:
    """Consistency checks on the loaded rows (the database's triggers were off during the load)."""
    problems: list[str] = []
    with connection.cursor() as cursor:
        for sql, message in VERIFY_SQL:
            cursor.execute(sql)
            bad = cursor.fetchone()[0]
            if bad:
                problems.append(f"{message}: {bad}")
    return problems


VERIFY_SQL: list[tuple[str, str]] = []


def _facility_checks() -> None:
    Facility = model_or_none("beneficiaries.Facility")
    if Facility is None:
        return
    from regions.models import Commune

    VERIFY_SQL.append(
        (
            f"SELECT COUNT(*) FROM {Facility._meta.db_table} f JOIN {Commune._meta.db_table} c "
            "ON c.code = f.commune_id WHERE c.province_id <> f.province_id",
            "cơ sở có tỉnh khác tỉnh của xã",
        )
    )


_facility_checks()


def refresh_derived(report: Report, log: Callable[[str], None]) -> None:
    """Rebuild tables other apps derive from the rows (the reports app's summary tables)."""
    try:
        from reports.summary import refresh_summaries
    except ImportError:
        return
    started = time.monotonic()
    refresh_summaries()
    report.seconds["report_summaries"] = time.monotonic() - started
    log(f"  bảng tổng hợp báo cáo: {report.seconds['report_summaries']:.1f} s")
