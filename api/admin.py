"""Admins register API clients, issue tokens (the key is shown once), revoke them and read the call log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.views import portal_user

from . import services
from .models import ApiCall, ApiClient, ApiToken, Scope


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "organisation", "rate_per_minute", "is_active", "created_at")
    list_filter = ("is_active",)
    list_select_related = ("organisation",)
    search_fields = ("name", "contact")
    readonly_fields = ("user", "created_by", "created_at")

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            services.client_sync_account(obj)
            return
        created = services.client_register(
            actor=portal_user(request),
            name=obj.name,
            organisation=obj.organisation,
            rate_per_minute=obj.rate_per_minute,
            contact=obj.contact,
            note=obj.note,
        )
        obj.pk, obj.user_id = created.pk, created.user_id
        obj._state.adding = False


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Quyền"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiToken
        fields = ("client", "label", "scopes", "expires_at")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ("__str__", "client", "label", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("client",)
    list_select_related = ("client",)
    readonly_fields = ("prefix", "revoked_at", "last_used_at", "created_by", "created_at")
    actions = ("revoke",)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple[str, ...]:
        if obj is not None:  # an issued token changes only by revocation
            return (*self.readonly_fields, "client", "label", "scopes", "expires_at")
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            return
        token, key = services.token_issue(
            actor=portal_user(request),
            client=obj.client,
            scopes=form.cleaned_data["scopes"],
            expires_at=obj.expires_at,
            label=obj.label,
        )
        obj.pk = token.pk
        obj._state.adding = False
        messages.warning(
            request,
            _("Mã truy cập (chỉ hiển thị một lần, hãy sao chép ngay): %(key)s") % {"key": key},
        )

    @admin.action(description=gettext_lazy("Thu hồi các mã đã chọn"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            services.token_revoke(token=token)
        messages.success(request, _("Đã thu hồi (có hiệu lực ngay)."))


@admin.register(ApiCall)
class ApiCallAdmin(admin.ModelAdmin):
    list_display = ("at", "client", "user", "method", "path", "status", "outcome", "duration_ms")
    list_filter = ("outcome", "client")
    list_select_related = ("client", "user")
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
