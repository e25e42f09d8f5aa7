from django.urls import path

from . import views

app_name = "papers"

urlpatterns = [
    path("de-an/<int:pk>/<slug:kind>.docx", views.PaperDocxView.as_view(), name="docx"),
    path("de-an/<int:pk>/<slug:kind>/tao-pdf/", views.PaperGenerateView.as_view(), name="generate"),
    path("<int:pk>/", views.PaperDetailView.as_view(), name="paper_detail"),
    path("<int:pk>/tai-ve/<slug:fmt>/", views.PaperDownloadView.as_view(), name="paper_download"),
]
