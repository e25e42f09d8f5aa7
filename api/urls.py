"""``/api/v1/``: the OpenAPI 3.1 schema, its docs (Swagger UI and Redoc, served from the
drf-spectacular-sidecar package: no CDN) and the routes by subject."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from .views import dashboard, facilities, funding, projects, regions

app_name = "api"

# Swagger UI and Redoc inject their own <style> elements and Redoc runs a worker from a blob: the
# portal's policy, loosened for styles and workers on these two pages only.
DOCS_CSP: dict[str, Any] = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "worker-src": [CSP.SELF, "blob:"],
}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        csp_override(DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("redoc/", csp_override(DOCS_CSP)(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    # Administrative units.
    path("regions/provinces/", regions.ProvinceList.as_view(), name="province_list"),
    path("regions/provinces/<int:code>/", regions.ProvinceDetail.as_view(), name="province_detail"),
    path("regions/communes/", regions.CommuneList.as_view(), name="commune_list"),
    path("regions/communes/<int:code>/", regions.CommuneDetail.as_view(), name="commune_detail"),
    path("regions/former-provinces/", regions.LegacyProvinceList.as_view(), name="former_province_list"),
    path("regions/former-districts/", regions.LegacyDistrictList.as_view(), name="former_district_list"),
    path("regions/former-communes/", regions.LegacyCommuneList.as_view(), name="former_commune_list"),
    # Facilities.
    path("facilities/", facilities.FacilityList.as_view(), name="facility_list"),
    path("facilities/<int:pk>/", facilities.FacilityDetail.as_view(), name="facility_detail"),
    # Projects.
    path("categories/", projects.CategoryList.as_view(), name="category_list"),
    path("projects/", projects.ProjectList.as_view(), name="project_list"),
    path("projects/<int:pk>/", projects.ProjectDetail.as_view(), name="project_detail"),
    path(
        "projects/<int:pk>/progress-reports/",
        projects.ProgressReportList.as_view(),
        name="progress_report_list",
    ),
    # Money.
    path("funding/envelopes/", funding.EnvelopeList.as_view(), name="envelope_list"),
    path("funding/cost-plan/", funding.CostPlanList.as_view(), name="cost_plan_list"),
    path("funding/allocations/", funding.AllocationList.as_view(), name="allocation_list"),
    path("funding/allocations/<int:pk>/", funding.AllocationDetail.as_view(), name="allocation_detail"),
    path("funding/entries/", funding.MoneyEntryList.as_view(), name="money_entry_list"),
    path("funding/settlements/", funding.SettlementList.as_view(), name="settlement_list"),
    path("funding/settlements/<int:pk>/", funding.SettlementDetail.as_view(), name="settlement_detail"),
    # The dashboard's figures.
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
]
