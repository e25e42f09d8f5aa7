"""Vietnam's administrative map: today's 34 provinces and 3,321 communes (since 1/7/2025), and the
63 former provinces with their districts and communes, each rolled up into today's units."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet


class ProvinceKind(models.TextChoices):
    PROVINCE = "tỉnh", _("Tỉnh")
    CENTRAL_CITY = "thành phố trung ương", _("Thành phố trực thuộc trung ương")


class CommuneKind(models.TextChoices):
    COMMUNE = "xã", _("Xã")
    WARD = "phường", _("Phường")
    SPECIAL_ZONE = "đặc khu", _("Đặc khu")


class ProvinceQuerySet(ScopedQuerySet):
    province_lookup = "pk"


class Province(models.Model):
    """A province or centrally-run city in force since 1/7/2025."""

    code = models.PositiveSmallIntegerField(_("mã"), primary_key=True)
    name = models.CharField(_("tên"), max_length=100, unique=True)
    kind = models.CharField(_("loại"), max_length=30, choices=ProvinceKind)
    codename = models.CharField(max_length=100)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        verbose_name = _("tỉnh/thành phố")
        verbose_name_plural = _("tỉnh/thành phố")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_central_city(self) -> bool:
        return self.kind == ProvinceKind.CENTRAL_CITY

    @property
    def short_name(self) -> str:
        for prefix in ("Thành phố ", "Tỉnh "):
            if self.name.startswith(prefix):
                return self.name.removeprefix(prefix)
        return self.name


class Commune(models.Model):
    """A commune-level unit (xã, phường, đặc khu) in force since 1/7/2025."""

    code = models.PositiveIntegerField(_("mã"), primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=20, choices=CommuneKind)
    codename = models.CharField(max_length=100)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("tỉnh/thành phố")
    )

    # The former district and province this commune's whole area lay in before 1/7/2025, when all
    # the former communes it took over were in one; null when they straddled a boundary.
    legacy_district = models.ForeignKey(
        "LegacyDistrict",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("huyện cũ"),
    )
    legacy_province = models.ForeignKey(
        "LegacyProvince",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tỉnh cũ"),
    )

    class Meta:
        verbose_name = _("xã/phường/đặc khu")
        verbose_name_plural = _("xã/phường/đặc khu")
        ordering = ["province__name", "name"]
        indexes = [models.Index(fields=["province", "name"])]

    def __str__(self) -> str:
        return f"{self.name}, {self.province.name}"

    @property
    def is_ward_of_central_city(self) -> bool:
        return self.kind == CommuneKind.WARD and self.province.is_central_city


class LegacyProvince(models.Model):
    """One of the 63 provinces before 1/7/2025, with the province it became part of."""

    code = models.PositiveSmallIntegerField(_("mã"), primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=30)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="legacy_provinces", verbose_name=_("nay thuộc")
    )

    class Meta:
        verbose_name = _("tỉnh cũ (trước 1/7/2025)")
        verbose_name_plural = _("tỉnh cũ (trước 1/7/2025)")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LegacyDistrict(models.Model):
    """A district (huyện, quận, thị xã, thành phố thuộc tỉnh) abolished on 1/7/2025."""

    code = models.PositiveIntegerField(_("mã"), primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=30)
    legacy_province = models.ForeignKey(
        LegacyProvince, on_delete=models.PROTECT, related_name="districts", verbose_name=_("tỉnh cũ")
    )

    class Meta:
        verbose_name = _("huyện cũ")
        verbose_name_plural = _("huyện cũ")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.legacy_province.name}"

    @property
    def province(self) -> Province:
        return self.legacy_province.province


class LegacyCommune(models.Model):
    """A commune before 1/7/2025, and the communes of today that took it over.

    ``commune`` is the first successor the decree names; ``successors`` lists them all (441 former
    communes were split between two or more new ones: which one a record belongs to is the user's
    choice, never a guess).
    """

    code = models.PositiveIntegerField(_("mã"), primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=30)
    legacy_district = models.ForeignKey(
        LegacyDistrict, on_delete=models.PROTECT, related_name="communes", verbose_name=_("huyện cũ")
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legacy_communes",
        verbose_name=_("nay thuộc"),
    )
    successors = models.ManyToManyField(
        Commune,
        through="LegacyCommuneSuccessor",
        related_name="predecessors",
        blank=True,
        verbose_name=_("các xã mới tiếp nhận"),
    )

    class Meta:
        verbose_name = _("xã cũ")
        verbose_name_plural = _("xã cũ")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.legacy_district}"


class LegacyCommuneSuccessor(models.Model):
    """One new commune that took over (part of) a former commune's area on 1/7/2025."""

    legacy_commune = models.ForeignKey(LegacyCommune, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    partly = models.BooleanField(_("chỉ một phần"), default=False)

    class Meta:
        verbose_name = _("xã mới tiếp nhận xã cũ")
        verbose_name_plural = _("xã mới tiếp nhận xã cũ")
        constraints = [
            models.UniqueConstraint(fields=["legacy_commune", "commune"], name="legacy_successor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.legacy_commune_id} → {self.commune_id}"
