"""Organisations (the national department or one province's Sở Công Thương / Trung tâm Khuyến công)
and users, each with one role. A user's province scope comes from the organisation."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    NATIONAL = "national", _("Cơ quan trung ương (toàn quốc)")
    DEPARTMENT = "department", _("Sở Công Thương")
    CENTRE = "centre", _("Trung tâm Khuyến công")
    OTHER = "other", _("Đơn vị khác (cấp tỉnh)")


class Organisation(models.Model):
    """Where a user works. A national organisation sees every province; any other is bound to one."""

    name = models.CharField(_("tên"), max_length=255, unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=OrganisationKind)
    province = models.ForeignKey(
        "regions.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("tỉnh/thành phố"),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="national", province__isnull=True)
                    | (~Q(kind="national") & Q(province__isnull=False))
                ),
                name="organisation_scope_matches_kind",
                violation_error_message=_(
                    "Cơ quan trung ương không gắn với tỉnh; mọi đơn vị khác phải gắn với đúng một tỉnh."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.kind == OrganisationKind.NATIONAL


class Role(models.TextChoices):
    STAFF = "staff", _("Chuyên viên")
    MANAGER = "manager", _("Lãnh đạo")
    ADMIN = "admin", _("Quản trị hệ thống")


class User(AbstractUser):
    """A portal user: one organisation, one role."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("cơ quan, đơn vị"),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role, default=Role.STAFF)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_superuser=True) | Q(organisation__isnull=False),
                name="user_has_organisation_unless_superuser",
                violation_error_message=_("Người dùng phải thuộc một cơ quan, đơn vị."),
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_national(self) -> bool:
        """Sees every province: superusers and members of the national organisation."""
        if self.is_superuser:
            return True
        org = self.organisation
        return org is not None and org.is_national

    @property
    def province_id(self) -> int | None:
        """The province this user is bound to, or None for national users."""
        org = self.organisation
        return None if org is None or org.is_national else org.province_id

    @property
    def province(self):
        org = self.organisation
        return None if org is None or org.is_national else org.province

    def has_role(self, *roles: str) -> bool:
        return self.is_active and (self.is_superuser or self.role in roles)
