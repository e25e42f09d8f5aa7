from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("xa/tim/", views.CommuneSearchView.as_view(), name="commune_search"),
    path("xa-cu/tim/", views.LegacyCommuneSearchView.as_view(), name="legacy_commune_search"),
]
