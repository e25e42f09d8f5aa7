from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("chuong/", views.BellView.as_view(), name="bell"),
    path("<int:pk>/", views.NotificationOpenView.as_view(), name="open"),
    path("doc-het/", views.MarkAllReadView.as_view(), name="mark_all_read"),
    path("tuy-chon/", views.PreferencesView.as_view(), name="preferences"),
]
