"""What a user is told (Notification), how each user wants each kind (NotificationPreference) and
every email the portal tried to send (EmailLog). Writes go through ``notifications.services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What happened. State changes come from the project workflow; reminders from the inbox."""

    SUBMITTED = "project_submitted", _("Đề án gửi đăng ký, chờ thẩm định")
    RETURNED = "project_returned", _("Đề án bị trả lại để chỉnh sửa")
    APPROVED = "project_approved", _("Đề án được phê duyệt")
    REJECTED = "project_rejected", _("Đề án không được phê duyệt")
    STOPPED = "project_stopped", _("Đề án ngừng triển khai")
    DUE_SOON = "due_soon", _("Nhắc việc sắp đến hạn")
    OVERDUE = "overdue", _("Nhắc việc đã quá hạn")
    RECONCILE_FAILED = "reconcile_failed", _("Đối soát số liệu phát hiện chênh lệch")
    ACCOUNT_LOCKED = "account_locked", _("Tài khoản bị khóa đăng nhập do nhập sai mật khẩu")


class Channel(models.TextChoices):
    """How a user wants a kind: every channel also shows the notice in the portal, except ``none``."""

    EMAIL = "email", _("Email ngay và trong cổng")
    IN_APP = "in_app", _("Chỉ trong cổng")
    DIGEST = "digest", _("Trong cổng và gộp vào email hằng ngày")
    NONE = "none", _("Không nhận")


#: Sensible defaults: decisions about one's own work by email at once, reminders in the daily digest,
#: overdue work and ledger differences by email.
DEFAULT_CHANNELS: dict[str, str] = {
    Kind.SUBMITTED: Channel.EMAIL,
    Kind.RETURNED: Channel.EMAIL,
    Kind.APPROVED: Channel.EMAIL,
    Kind.REJECTED: Channel.EMAIL,
    Kind.STOPPED: Channel.EMAIL,
    Kind.DUE_SOON: Channel.DIGEST,
    Kind.OVERDUE: Channel.EMAIL,
    Kind.RECONCILE_FAILED: Channel.EMAIL,
    Kind.ACCOUNT_LOCKED: Channel.EMAIL,
}


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user: object) -> NotificationQuerySet:
        """A user's own notices (nobody reads another's)."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One notice to one user, shown under the bell until read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=30, choices=Kind)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    #: Reminders carry a key (e.g. ``due:progress:12:2026-05``) so one is sent once per user.
    dedupe_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    digested_at = models.DateTimeField(_("đã gộp vào email lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_read"),
            models.Index(fields=["user", "-created_at"], name="notification_user_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_unique_dedupe_key",
            )
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A user's choice for one kind (absent: :data:`DEFAULT_CHANNELS`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("loại"), max_length=30, choices=Kind)
    channel = models.CharField(_("cách nhận"), max_length=10, choices=Channel)

    class Meta:
        verbose_name = _("tùy chọn nhận thông báo")
        verbose_name_plural = _("tùy chọn nhận thông báo")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notificationpreference_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channel}"


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    RETRYING = "retrying", _("Gửi lỗi, sẽ thử lại")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không thành công")


class EmailLog(models.Model):
    """One email: what was sent to whom, its status, how many attempts and the last error."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    kind = models.CharField(_("loại"), max_length=30)
    to = models.EmailField(_("gửi tới"))
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body_text = models.TextField(_("nội dung"))
    body_html = models.TextField(_("nội dung HTML"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=EmailStatus, default=EmailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("nhật ký email")
        verbose_name_plural = _("nhật ký email")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"], name="emaillog_status_updated")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="emaillog_sent_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
