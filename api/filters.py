"""The lists' filters, with the web lists' meanings: a project runs in ``year`` when start ≤ year ≤ end
(the dashboard's overlap), ``category`` matches the main or a combined content, ``former_province`` and
``former_district`` are units before 1/7/2025 as regions.former defines them for the web lists,
``updated_since`` an ISO date-time. A filter never widens the caller's scope: another province's code
gives an empty list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from beneficiaries.models import Facility, FacilityKind, FacilityStatus
from funding.models import Allocation, BudgetEnvelope, CostPlanLine, EntryKind, MoneyEntry, Settlement, Source
from projects.choices import FundingLevel, ProjectStatus
from projects.models import Project, ProjectCategory, ProjectCommune, ProjectKind
from regions.former import facility_q, project_q
from regions.models import Commune, LegacyCommune, LegacyDistrict

INT_MAX = 2_147_483_647
SMALL_MAX = 32767


def _year(**kwargs: Any) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(min_value=1900, max_value=2100, **kwargs)


def _code(**kwargs: Any) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(min_value=1, max_value=kwargs.pop("max_value", INT_MAX), **kwargs)


class ProjectScopeFilters(django_filters.FilterSet):
    """Filters on the projects (for projects and, through ``project_path``, for their money rows)."""

    project_path = ""

    year = _year(method="filter_year", label="Năm thực hiện (đề án chạy trong năm này)")
    year_from = _year(method="filter_year_from", label="Từ năm")
    year_to = _year(method="filter_year_to", label="Đến năm")
    province = _code(method="filter_province", max_value=SMALL_MAX, label="Mã tỉnh/thành phố hiện nay")
    former_province = _code(method="filter_former_province", max_value=SMALL_MAX, label="Mã tỉnh cũ")
    former_district = _code(method="filter_former_district", label="Mã huyện cũ")
    category = _code(method="filter_category", label="Id nội dung hoạt động (chính hoặc kết hợp)")
    funding_level = django_filters.ChoiceFilter(choices=FundingLevel.choices, method="filter_level")
    project = _code(method="filter_project", max_value=9_223_372_036_854_775_807, label="Id đề án")

    def _p(self, name: str) -> str:
        return f"{self.project_path}{name}"

    def filter_year(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs.filter(**{self._p("start_year__lte"): value, self._p("end_year__gte"): value})

    def filter_year_from(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs.filter(**{self._p("end_year__gte"): value})

    def filter_year_to(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs.filter(**{self._p("start_year__lte"): value})

    def filter_province(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs.filter(**{self._p("province_id"): value})

    def _former(self, qs: QuerySet, q: Any) -> QuerySet:
        if not self.project_path:
            return qs.filter(q)
        # scope: narrows rows already scoped by the view (visible_to); the subquery only selects
        return qs.filter(**{self._p("pk__in"): Project.objects.filter(q).values("pk")})

    def filter_former_province(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return self._former(qs, project_q(int(value), None))

    def filter_former_district(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return self._former(qs, project_q(None, int(value)))

    def filter_category(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        linked = ProjectCategory.objects.filter(activitycategory_id=value)
        return qs.filter(
            Q(**{self._p("category_id"): value}) | Q(**{self._p("pk__in"): linked.values("project_id")})
        )

    def filter_level(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs.filter(**{self._p("funding_level"): value})

    def filter_project(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs.filter(**{self._p("pk"): value})


class ProjectFilters(ProjectScopeFilters):
    status = django_filters.MultipleChoiceFilter(choices=ProjectStatus.choices, label="Trạng thái")
    kind = django_filters.ChoiceFilter(choices=ProjectKind.choices)
    commune = _code(method="filter_commune", label="Mã xã hiện nay")
    code = django_filters.CharFilter(max_length=30, label="Mã đề án")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Project
        fields: list[str] = []

    def filter_commune(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        linked = ProjectCommune.objects.filter(commune_id=value)
        return qs.filter(pk__in=linked.values("project_id"))


class FacilityFilters(django_filters.FilterSet):
    province = _code(field_name="province_id", max_value=SMALL_MAX)
    former_province = _code(method="filter_former_province", max_value=SMALL_MAX)
    former_district = _code(method="filter_former_district")
    commune = _code(field_name="commune_id")
    kind = django_filters.ChoiceFilter(choices=FacilityKind.choices)
    status = django_filters.ChoiceFilter(choices=FacilityStatus.choices)
    sector = django_filters.CharFilter(max_length=5, method="filter_sector", label="Mã ngành VSIC (mọi cấp)")
    tax_code = django_filters.CharFilter(max_length=13)
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Facility
        fields: list[str] = []

    def filter_former_province(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs.filter(facility_q(int(value), None))

    def filter_former_district(self, qs: QuerySet, name: str, value: Any) -> QuerySet:
        return qs.filter(facility_q(None, int(value)))

    def filter_sector(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        through = Facility.sectors.through.objects.filter(sector__code__startswith=value)
        return qs.filter(pk__in=through.values("facility_id"))


class _MoneyFilters(ProjectScopeFilters):
    project_path = "project__"


class CostPlanFilters(_MoneyFilters):
    source = django_filters.ChoiceFilter(choices=Source.choices)
    line_year = _year(field_name="year", label="Năm của dòng kế hoạch")

    class Meta:
        model = CostPlanLine
        fields: list[str] = []


class AllocationFilters(_MoneyFilters):
    source = django_filters.ChoiceFilter(choices=FundingLevel.choices)
    allocation_year = _year(field_name="year", label="Năm ngân sách của khoản giao")
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Allocation
        fields: list[str] = []


class MoneyEntryFilters(_MoneyFilters):
    project_path = "allocation__project__"
    kind = django_filters.ChoiceFilter(choices=EntryKind.choices)
    allocation = _code(field_name="allocation_id", max_value=9_223_372_036_854_775_807)
    voucher_year = _year(field_name="voucher_date__year", label="Năm của chứng từ")
    updated_since = django_filters.IsoDateTimeFilter(field_name="recorded_at", lookup_expr="gte")

    class Meta:
        model = MoneyEntry
        fields: list[str] = []


class SettlementFilters(_MoneyFilters):
    settlement_year = _year(field_name="year", label="Năm ngân sách quyết toán")
    updated_since = django_filters.IsoDateTimeFilter(field_name="recorded_at", lookup_expr="gte")

    class Meta:
        model = Settlement
        fields: list[str] = []


class EnvelopeFilters(django_filters.FilterSet):
    province = _code(field_name="province_id", max_value=SMALL_MAX)
    year = _year()
    level = django_filters.ChoiceFilter(choices=FundingLevel.choices)
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = BudgetEnvelope
        fields: list[str] = []


class CommuneFilters(django_filters.FilterSet):
    province = _code(field_name="province_id", max_value=SMALL_MAX)
    kind = django_filters.CharFilter(max_length=20)

    class Meta:
        model = Commune
        fields: list[str] = []


class LegacyDistrictFilters(django_filters.FilterSet):
    former_province = _code(field_name="legacy_province_id", max_value=SMALL_MAX)
    province = _code(field_name="legacy_province__province_id", max_value=SMALL_MAX)

    class Meta:
        model = LegacyDistrict
        fields: list[str] = []


class LegacyCommuneFilters(django_filters.FilterSet):
    former_district = _code(field_name="legacy_district_id")
    former_province = _code(field_name="legacy_district__legacy_province_id", max_value=SMALL_MAX)
    commune = _code(field_name="commune_id")

    class Meta:
        model = LegacyCommune
        fields: list[str] = []
