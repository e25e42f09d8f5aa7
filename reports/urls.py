from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("bang-dieu-khien/", views.DashboardView.as_view(), name="dashboard"),
    path("bang-dieu-khien/excel/", views.DashboardExportView.as_view(), name="dashboard_export"),
    path("", views.CatalogueView.as_view(), name="catalogue"),
    path("lap/<slug:kind>/", views.RunCreateView.as_view(), name="run_create"),
    path("lan-lap/<int:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("lan-lap/<int:pk>/tien-do/", views.RunProgressView.as_view(), name="run_progress"),
    path("lan-lap/<int:pk>/tai-ve/", views.RunDownloadView.as_view(), name="run_download"),
]
