from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["province"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "organisation", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "organisation__kind"]
    list_select_related = ["organisation"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["organisation"]

    @admin.display(description=_("Họ và tên"), ordering="last_name")
    def full_name(self, obj: User) -> str:
        return obj.get_full_name()

    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Khuyến công"), {"fields": ("organisation", "role", "phone")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "password1",
                    "password2",
                    "organisation",
                    "role",
                    "first_name",
                    "last_name",
                ),
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        # Only the admin role reaches Django admin.
        obj.is_staff = obj.is_superuser or obj.role == "admin"
        super().save_model(request, obj, form, change)
