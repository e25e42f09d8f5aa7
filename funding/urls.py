from django.urls import path

from . import views
from .models import EntryKind

app_name = "funding"

urlpatterns = [
    path("ke-hoach-nam/", views.AnnualPlanView.as_view(), name="annual_plan"),
    path("ke-hoach-nam/xuat-excel/", views.AnnualPlanExportView.as_view(), name="annual_plan_export"),
    path("du-toan/them/", views.EnvelopeCreateView.as_view(), name="envelope_create"),
    path("du-toan/<int:pk>/sua/", views.EnvelopeUpdateView.as_view(), name="envelope_update"),
    path("de-an/<int:project_pk>/", views.ProjectMoneyView.as_view(), name="project_money"),
    path(
        "de-an/<int:project_pk>/xuat-excel/",
        views.ProjectMoneyExportView.as_view(),
        name="project_money_export",
    ),
    path("de-an/<int:project_pk>/ke-hoach-nguon/", views.CostPlanView.as_view(), name="cost_plan_edit"),
    path(
        "de-an/<int:project_pk>/giao-kinh-phi/",
        views.AllocationCreateView.as_view(),
        name="allocation_create",
    ),
    path(
        "de-an/<int:project_pk>/quyet-toan/", views.SettlementCreateView.as_view(), name="settlement_create"
    ),
    path("phan-bo/<int:pk>/dieu-chinh/", views.AllocationAdjustView.as_view(), name="allocation_adjust"),
    path(
        "phan-bo/<int:pk>/tam-ung/",
        views.EntryCreateView.as_view(kind=EntryKind.ADVANCE),
        name="advance_create",
    ),
    path(
        "phan-bo/<int:pk>/thanh-toan/",
        views.EntryCreateView.as_view(kind=EntryKind.PAYMENT),
        name="payment_create",
    ),
    path(
        "phan-bo/<int:pk>/thu-hoi-tam-ung/",
        views.EntryCreateView.as_view(kind=EntryKind.RECOVERY),
        name="recovery_create",
    ),
    path("but-toan/<int:pk>/dao/", views.EntryReverseView.as_view(), name="entry_reverse"),
    path("but-toan/<int:pk>/chung-tu/", views.EntryDocumentView.as_view(), name="entry_document"),
]
