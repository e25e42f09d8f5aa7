"""Reads of the facility register: the filtered list (shared by the page and the exports)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, QuerySet, StringAgg, Subquery, Value

from accounts.models import User
from core.parsing import is_ascii_digits
from projects.workflow import DECIDED_STATES
from regions.former import facility_q

from .models import Facility, FacilityQuerySet

#: Project states in which a facility counts as having received support: the decided ones.
SUPPORTED_STATUSES = DECIDED_STATES


def supported_subquery() -> Exists | None:
    """EXISTS(a decided project names this facility), or None while the projects app has no link model."""
    try:
        link = apps.get_model("projects", "ProjectBeneficiary")
    except LookupError:
        return None
    return Exists(link.objects.filter(facility_id=OuterRef("pk"), project__status__in=SUPPORTED_STATUSES))


def filter_facilities(
    queryset: FacilityQuerySet[Facility], data: dict[str, Any]
) -> FacilityQuerySet[Facility]:
    """Apply the cleaned filter form's values."""
    if data.get("q"):
        queryset = queryset.search(data["q"])
    if data.get("province"):
        queryset = queryset.filter(province_id=getattr(data["province"], "pk", data["province"]))
    if data.get("commune"):
        queryset = queryset.filter(commune=data["commune"])
    if data.get("legacy_province") or data.get("legacy_district"):
        queryset = queryset.filter(facility_q(data.get("legacy_province"), data.get("legacy_district")))
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    sector = data.get("sector")
    if sector:
        code = str(getattr(sector, "code", sector))
        # VSIC codes nest by prefix (10 → 107 → 1076); a section (a letter) holds whole divisions.
        if is_ascii_digits(code):
            within = Q(sector__code__startswith=code)
        else:
            within = Q(sector__parent_id=code) | Q(sector__parent__parent_id=code)
            within |= Q(sector__parent__parent__parent_id=code)
            within |= Q(sector__parent__parent__parent__parent_id=code)
        through = Facility.sectors.through
        queryset = queryset.filter(Exists(through.objects.filter(within, facility_id=OuterRef("pk"))))
    if data.get("eligible") == "yes":
        queryset = queryset.eligible()
    elif data.get("eligible") == "no":
        queryset = queryset.not_eligible()
    supported = supported_subquery()
    if supported is not None and data.get("supported") in ("yes", "no"):
        queryset = queryset.filter(supported if data["supported"] == "yes" else ~supported)
    return queryset


def facility_list(user: User, data: dict[str, Any]) -> FacilityQuerySet[Facility]:
    """Facilities the user may see, filtered, in list order, with what the rows show."""
    return filter_facilities(Facility.objects.visible_to(user), data).for_list().order_by("-id")


def supported_ids(ids: list[int]) -> set[int]:
    """Which of these facilities (one page) received support: one small query, not a per-row EXISTS."""
    try:
        link = apps.get_model("projects", "ProjectBeneficiary")
    except LookupError:
        return set()
    if not ids:
        return set()
    rows = link.objects.filter(facility_id__in=ids, project__status__in=SUPPORTED_STATUSES)
    return set(rows.values_list("facility_id", flat=True))


def with_sector_codes(queryset: QuerySet[Facility]) -> QuerySet[Any]:
    """Annotate ``sector_codes`` ("1629, 3100") with a correlated subquery (no GROUP BY over the list).

    Typed ``QuerySet[Any]``: django-stubs' plugin resolves ``values_list`` names against the model's
    fields only, and the callers read the annotation by name."""
    through = Facility.sectors.through
    codes = (
        through.objects.filter(facility_id=OuterRef("pk"))
        .values("facility_id")
        .annotate(codes=StringAgg("sector_id", delimiter=Value(", "), order_by="sector_id"))
        .values("codes")  # type: ignore[misc]  # the plugin misses annotations on an auto through model
    )
    return queryset.annotate(sector_codes=Subquery(codes))
