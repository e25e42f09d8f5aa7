from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="project_list"),
    path("xuat-excel/", views.ProjectExportView.as_view(), name="project_export"),
    path("cho-xu-ly/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("cho-xu-ly/xu-ly-nhieu/", views.BulkDecisionView.as_view(), name="bulk_decide"),
    path("dang-ky/", views.ProjectCreateView.as_view(), name="project_create"),
    path("co-so-tra-cuu/", views.FacilityLookupView.as_view(), name="facility_lookup"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("<int:pk>/ho-so.pdf", views.DossierPdfView.as_view(), name="project_dossier_pdf"),
    path("<int:pk>/sua/", views.ProjectUpdateView.as_view(), name="project_update"),
    path("<int:pk>/xu-ly/<slug:action>/", views.TransitionView.as_view(), name="project_transition"),
    path("<int:pk>/dieu-chinh/", views.AdjustView.as_view(), name="project_adjust"),
    path("<int:pk>/tien-do/", views.ProgressReportView.as_view(), name="progress_report_create"),
    path(
        "<int:pk>/xac-nhan-trung-ho-tro/",
        views.AcknowledgeDoubleFundingView.as_view(),
        name="double_funding_acknowledge",
    ),
    path("<int:pk>/co-so/them/", views.BeneficiaryAddView.as_view(), name="beneficiary_add"),
    path(
        "<int:pk>/co-so/<int:link_pk>/bo/", views.BeneficiaryRemoveView.as_view(), name="beneficiary_remove"
    ),
    path("<int:pk>/chi-tieu/", views.IndicatorsView.as_view(), name="project_indicators"),
    path("<int:pk>/tai-lieu/tai-len/", views.DocumentUploadView.as_view(), name="document_upload"),
    path("tai-lieu/<int:pk>/", views.DocumentDownloadView.as_view(), name="document_download"),
]
