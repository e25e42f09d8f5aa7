"""``/du-lieu-mo/``: open data without login."""

from django.urls import path, re_path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("datapackage.json", views.DataPackageView.as_view(), name="datapackage"),
    re_path(
        r"^tai-ve/(?P<name>[a-z-]+)\.(?P<fmt>csv|xlsx|json)$", views.ResourceFileView.as_view(), name="file"
    ),
]
