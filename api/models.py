"""API clients (another system, registered by an admin and bound to an organisation), their tokens
(scoped per resource, hashed at rest, expiring, revocable) and the log of every call.

A client acts through its own service account (``ApiClient.user``): a portal user of the client's
organisation, so ``Model.objects.visible_to(user)`` and the services apply to it exactly as to a person
of that organisation — a provincial client sees its province, a national one every province.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Resource(models.TextChoices):
    """What a token may reach; every API route names one."""

    FACILITIES = "facilities", _("Cơ sở CNNT")
    PROJECTS = "projects", _("Đề án")
    FUNDING = "funding", _("Kinh phí")
    DASHBOARD = "dashboard", _("Số liệu tổng hợp")
    REGIONS = "regions", _("Địa giới hành chính")


class Scope(models.TextChoices):
    """``<resource>:read`` or ``<resource>:write`` (write includes read)."""

    FACILITIES_READ = "facilities:read", _("Cơ sở CNNT — đọc")
    FACILITIES_WRITE = "facilities:write", _("Cơ sở CNNT — ghi")
    PROJECTS_READ = "projects:read", _("Đề án — đọc")
    PROJECTS_WRITE = "projects:write", _("Đề án — ghi (báo cáo tiến độ)")
    FUNDING_READ = "funding:read", _("Kinh phí — đọc")
    DASHBOARD_READ = "dashboard:read", _("Số liệu tổng hợp — đọc")
    REGIONS_READ = "regions:read", _("Địa giới hành chính — đọc")


READ_SCOPES = tuple(s for s in Scope.values if s.endswith(":read"))
ALL_SCOPES = tuple(Scope.values)


class ApiClient(models.Model):
    """Another system (the ministry's, a province's platform, NDOP) allowed to call the API."""

    name = models.CharField(_("tên hệ thống"), max_length=200, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("cơ quan, đơn vị"),
        help_text=_("Phạm vi dữ liệu của hệ thống là phạm vi của đơn vị này (một tỉnh hoặc toàn quốc)."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        editable=False,
        verbose_name=_("tài khoản dịch vụ"),
    )
    contact = models.CharField(_("đầu mối liên hệ"), max_length=255, blank=True)
    rate_per_minute = models.PositiveIntegerField(
        _("giới hạn số lượt gọi mỗi phút"), default=600, help_text=_("Vượt giới hạn: trả lời 429.")
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("ngày đăng ký"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("người đăng ký"),
    )

    class Meta:
        verbose_name = _("hệ thống kết nối API")
        verbose_name_plural = _("hệ thống kết nối API")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(rate_per_minute__gte=1), name="apiclient_rate_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        """Tokens that authenticate now: not revoked, not expired, of an active client."""
        return self.filter(
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            client__is_active=True,
            client__user__is_active=True,
        )


class ApiToken(models.Model):
    """One bearer token ``kc_<prefix>_<secret>``: only its prefix and SHA-256 are stored."""

    client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, related_name="tokens", verbose_name=_("hệ thống")
    )
    label = models.CharField(_("mô tả"), max_length=200, blank=True)
    prefix = models.CharField(_("tiền tố"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(_("băm SHA-256"), max_length=64, editable=False)
    scopes = ArrayField(models.CharField(max_length=30, choices=Scope), verbose_name=_("quyền"), default=list)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("người cấp"),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(scopes=[]), name="apitoken_has_scopes"),
            models.CheckConstraint(condition=Q(key_hash__regex=r"^[0-9a-f]{64}$"), name="apitoken_hash_hex"),
        ]

    def __str__(self) -> str:
        return f"{self.client} — kc_{self.prefix}_…"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now() and self.client.is_active

    def allows(self, resource: str, *, write: bool) -> bool:
        """Whether the token's scopes reach ``resource`` for reading (write includes read) or writing."""
        if write:
            return f"{resource}:write" in self.scopes
        return f"{resource}:read" in self.scopes or f"{resource}:write" in self.scopes


class Outcome(models.TextChoices):
    OK = "ok", _("Thành công")
    INVALID = "invalid", _("Dữ liệu không hợp lệ")
    UNAUTHENTICATED = "unauthenticated", _("Chưa xác thực")
    FORBIDDEN = "forbidden", _("Không có quyền")
    NOT_FOUND = "not_found", _("Không tìm thấy")
    CONFLICT = "conflict", _("Xung đột")
    THROTTLED = "throttled", _("Vượt giới hạn")
    ERROR = "error", _("Lỗi máy chủ")


class ApiCall(models.Model):
    """One API request: who (client/token or user), what, the status and the outcome."""

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    client = models.ForeignKey(
        ApiClient, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls"
    )
    token = models.ForeignKey(ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    query = models.CharField(max_length=1000, blank=True)
    status = models.PositiveSmallIntegerField(_("mã trả lời"))
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome)
    duration_ms = models.PositiveIntegerField(_("thời gian (ms)"), default=0)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("lượt gọi API")
        verbose_name_plural = _("nhật ký gọi API")
        ordering = ["-at"]
        indexes = [models.Index(fields=["client", "at"], name="apicall_client_at")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M:%S} {self.method} {self.path} {self.status}"
