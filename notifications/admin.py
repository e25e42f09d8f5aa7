from django.contrib import admin

from .models import EmailLog, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "kind", "channel", "created_at", "read_at")
    list_filter = ("kind", "channel")
    search_fields = ("title", "user__username")
    list_select_related = ("user",)
    raw_id_fields = ("user", "project")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "channel")
    list_filter = ("kind", "channel")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(EmailLog)
class EmailLogAdmin(admin.ModelAdmin):
    list_display = ("subject", "to", "kind", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("to", "subject")
    readonly_fields = [f.name for f in EmailLog._meta.fields]
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False
