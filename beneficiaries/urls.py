from django.urls import path

from . import views

app_name = "beneficiaries"

urlpatterns = [
    path("", views.FacilityListView.as_view(), name="facility_list"),
    path("them/", views.FacilityCreateView.as_view(), name="facility_create"),
    path("tim/", views.FacilitySearchView.as_view(), name="facility_search"),
    path("xuat/", views.FacilityExportView.as_view(), name="facility_export"),
    path("nhap/", views.FacilityImportView.as_view(), name="facility_import"),
    path("nhap/mau/", views.ImportTemplateView.as_view(), name="import_template"),
    path("nhap/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("nhap/<int:pk>/ghi/", views.ImportCommitView.as_view(), name="import_commit"),
    path("nhap/<int:pk>/chon-xa/", views.ImportChooseView.as_view(), name="import_choose"),
    path("<int:pk>/", views.FacilityDetailView.as_view(), name="facility_detail"),
    path("<int:pk>/hien-so/", views.FacilityRevealView.as_view(), name="facility_reveal"),
    path("<int:pk>/sua/", views.FacilityUpdateView.as_view(), name="facility_update"),
]
