from django.urls import path

from . import views
from .observability import metrics_view

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.HealthView.as_view(), name="healthz"),
    path("metrics", metrics_view, name="metrics"),
]
