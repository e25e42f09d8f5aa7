from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import Organisation, User


class OrganisationRequiredMixin(forms.BaseForm):
    """Every user but a superuser belongs to an organisation (the database refuses otherwise: the
    ``user_has_organisation_unless_superuser`` constraint), so say so beside the field, not with a 500."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        instance = getattr(self, "instance", None)  # a ModelForm's
        superuser = data.get("is_superuser", getattr(instance, "is_superuser", False))
        if "organisation" in self.fields and not data.get("organisation") and not superuser:
            self.add_error("organisation", _("Người dùng phải thuộc một cơ quan, đơn vị."))
        return data


class PortalUserCreationForm(OrganisationRequiredMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)


class PortalUserChangeForm(OrganisationRequiredMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["province"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = PortalUserCreationForm
    form = PortalUserChangeForm
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

    actions = ["unlock_sign_in"]

    @admin.action(description=_("Mở khóa đăng nhập (xóa các lần nhập sai mật khẩu)"))
    def unlock_sign_in(self, request: Any, queryset: Any) -> None:
        from accounts.lockout import unlock

        names = list(queryset.values_list("username", flat=True))
        cleared = unlock(usernames=names)
        self.message_user(
            request,
            _("Đã mở khóa đăng nhập cho %(n)s người dùng (%(c)s lần nhập sai được xóa).")
            % {"n": len(names), "c": cleared},
        )

    def save_model(self, request, obj, form, change):
        # Only the admin role reaches Django admin.
        obj.is_staff = obj.is_superuser or obj.role == "admin"
        super().save_model(request, obj, form, change)
