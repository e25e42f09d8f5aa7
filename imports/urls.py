from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("de-an/", views.ImportView.as_view(), name="project_import"),
    path("de-an/mau/", views.TemplateDownloadView.as_view(), name="template"),
    path("de-an/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("de-an/<int:pk>/tien-do/", views.ImportProgressView.as_view(), name="import_progress"),
    path("de-an/<int:pk>/ghi/", views.ImportCommitView.as_view(), name="import_commit"),
    path("de-an-da-nhap/", views.ImportedProjectListView.as_view(), name="imported_list"),
]
