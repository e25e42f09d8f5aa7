"""Rural industrial facilities (cơ sở công nghiệp nông thôn, CNNT): the register of beneficiaries.

Invariants live in the database (CHECK and partial UNIQUE constraints); writes go through
``beneficiaries.services``; reads start from ``Facility.objects.visible_to(user)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.parsing import is_ascii_digits
from core.scoping import ScopedQuerySet
from core.search import KcUnaccent, unaccent_contains
from regions.models import CommuneKind, ProvinceKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class FacilityKind(models.TextChoices):
    SME = "dnnvv", _("Doanh nghiệp nhỏ và vừa")
    COOPERATIVE = "htx", _("Hợp tác xã")
    COOPERATIVE_UNION = "lien_hiep_htx", _("Liên hiệp hợp tác xã")
    COOPERATIVE_GROUP = "to_hop_tac", _("Tổ hợp tác")
    HOUSEHOLD = "ho_kinh_doanh", _("Hộ kinh doanh")


class FacilityStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    CLOSED = "closed", _("Ngừng hoạt động")
    MERGED = "merged", _("Đã sáp nhập")


class SectorLevel(models.TextChoices):
    SECTION = "section", _("Ngành cấp 1")
    DIVISION = "division", _("Ngành cấp 2")
    GROUP = "group", _("Ngành cấp 3")
    CLASS = "class", _("Ngành cấp 4")
    SUBCLASS = "subclass", _("Ngành cấp 5")


class Sector(models.Model):
    """A VSIC 2018 code (QĐ 27/2018/QĐ-TTg): reference data, editable in the admin."""

    code = models.CharField(_("mã ngành"), max_length=5, primary_key=True)
    name = models.CharField(_("tên ngành"), max_length=255)
    level = models.CharField(_("cấp"), max_length=10, choices=SectorLevel)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("ngành cấp trên"),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("ngành kinh tế (VSIC 2018)")
        verbose_name_plural = _("ngành kinh tế (VSIC 2018)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class CraftVillageQuerySet(ScopedQuerySet):
    province_lookup = "province"


class CraftVillage(models.Model):
    """A craft village (làng nghề), recognised by the province or not yet."""

    name = models.CharField(_("tên làng nghề"), max_length=255)
    province = models.ForeignKey(
        "regions.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh/thành phố")
    )
    commune = models.ForeignKey(
        "regions.Commune",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("xã/phường/đặc khu"),
    )
    main_craft = models.CharField(_("nghề chính"), max_length=255, blank=True)
    recognised_year = models.PositiveSmallIntegerField(_("năm được công nhận"), null=True, blank=True)

    objects = CraftVillageQuerySet.as_manager()

    class Meta:
        verbose_name = _("làng nghề")
        verbose_name_plural = _("làng nghề")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="craft_village_unique_name_per_commune")
        ]

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Eligibility:
    """Whether a facility may receive khuyến công support, and why (domain.md §4, Decree 235)."""

    eligible: bool
    reason: str


def ineligible_location_q(prefix: str = "") -> Q:
    """Rows located in a ward (phường) of a centrally-run city: not eligible since Decree 235."""
    return Q(
        **{
            f"{prefix}commune__kind": CommuneKind.WARD,
            f"{prefix}province__kind": ProvinceKind.CENTRAL_CITY,
        }
    )


class FacilityQuerySet(ScopedQuerySet):
    province_lookup = "province"

    def search(self, query: str) -> FacilityQuerySet:
        """Diacritic- and case-insensitive match on name, tax code, personal ID and representative."""
        if not query or not query.strip():
            return self
        match = unaccent_contains(["name", "tax_code", "representative"], query)
        # Tax codes are stored as digits; a branch is written "0100109106-001" (or with spaces, dots).
        digits = re.sub(r"[\s.\-]", "", query.strip())
        if digits != query.strip() and is_ascii_digits(digits) and len(digits) >= 4:
            match |= Q(tax_code__kc_contains=digits)
        return self.filter(match)

    def eligible(self) -> FacilityQuerySet:
        return self.filter(status=FacilityStatus.ACTIVE).exclude(ineligible_location_q())

    def not_eligible(self) -> FacilityQuerySet:
        return self.filter(~Q(status=FacilityStatus.ACTIVE) | ineligible_location_q())

    def for_list(self) -> FacilityQuerySet:
        return self.select_related("province", "commune")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    exclude=["updated_at"],
    context_field=pghistory.ContextForeignKey(),
    model_name="FacilityEvent",
)
class Facility(models.Model):
    """A rural industrial facility (cơ sở CNNT), the beneficiary of khuyến công support."""

    name = models.CharField(_("tên cơ sở"), max_length=255)
    kind = models.CharField(_("loại hình"), max_length=20, choices=FacilityKind)
    tax_code = models.CharField(
        _("mã số thuế"),
        max_length=13,
        blank=True,
        help_text=_("10 chữ số, hoặc 13 chữ số với chi nhánh; hộ kinh doanh có thể dùng số định danh."),
    )
    personal_id = models.CharField(
        _("số định danh cá nhân của chủ hộ"), max_length=12, blank=True, help_text=_("12 chữ số (CCCD).")
    )
    business_reg_no = models.CharField(_("số đăng ký kinh doanh"), max_length=30, blank=True)
    representative = models.CharField(_("người đại diện"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ (số nhà, thôn, xóm)"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "regions.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường/đặc khu")
    )
    # Denormalised from commune by the service (fast filtering at 500,000 rows); kept consistent there.
    province = models.ForeignKey(
        "regions.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh/thành phố")
    )
    legacy_commune = models.ForeignKey(
        "regions.LegacyCommune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("địa chỉ cũ (xã, huyện, tỉnh trước 1/7/2025)"),
    )
    craft_village = models.ForeignKey(
        CraftVillage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
        verbose_name=_("làng nghề"),
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="facilities", verbose_name=_("ngành nghề (VSIC 2018)")
    )
    main_products = models.CharField(_("sản phẩm chính"), max_length=500, blank=True)
    year_founded = models.PositiveSmallIntegerField(_("năm thành lập"), null=True, blank=True)
    workers_total = models.PositiveIntegerField(_("tổng số lao động"), default=0)
    workers_female = models.PositiveIntegerField(_("lao động nữ"), default=0)
    workers_ethnic_minority = models.PositiveIntegerField(_("lao động dân tộc thiểu số"), default=0)
    annual_revenue = models.BigIntegerField(_("doanh thu năm (đồng)"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=FacilityStatus, default=FacilityStatus.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("sáp nhập vào cơ sở"),
    )
    women_owned = models.BooleanField(_("do phụ nữ làm chủ"), default=False)
    minority_owned = models.BooleanField(_("do người dân tộc thiểu số làm chủ"), default=False)
    disadvantaged_area = models.BooleanField(
        _("ở vùng khó khăn, dân tộc thiểu số, miền núi, biên giới"), default=False
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người cập nhật"),
    )

    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ sở công nghiệp nông thôn")
        verbose_name_plural = _("cơ sở công nghiệp nông thôn")
        # Newest first: names start with the type ("Hợp tác xã…", "Công ty…"), so ordering by name
        # correlates with the type filter and a LIMIT walk would read most of the table.
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["province", "id"], name="facility_province_id"),
            models.Index(fields=["tax_code"], name="facility_tax_code"),
            models.Index(fields=["personal_id"], name="facility_personal_id"),
            GinIndex(OpClass(KcUnaccent("name"), name="gin_trgm_ops"), name="facility_name_trgm"),
            GinIndex(OpClass(KcUnaccent("tax_code"), name="gin_trgm_ops"), name="facility_tax_code_trgm"),
            GinIndex(
                OpClass(KcUnaccent("representative"), name="gin_trgm_ops"),
                name="facility_representative_trgm",
            ),
        ]
        triggers = [
            # The province is denormalised from the commune (fast filtering at 500,000 rows); a CHECK
            # cannot read another table, so the database sets it on every write, whatever the caller.
            pgtrigger.Trigger(
                name="province_from_commune",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.UpdateOf("commune_id", "province_id"),
                func=(
                    "NEW.province_id := (SELECT province_id FROM regions_commune"
                    " WHERE code = NEW.commune_id); RETURN NEW;"
                ),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=Q(status="active") & ~Q(tax_code=""),
                name="facility_one_active_per_tax_code",
                violation_error_message=_("Đã có một cơ sở đang hoạt động với mã số thuế này."),
            ),
            models.CheckConstraint(
                condition=Q(tax_code="") | Q(tax_code__regex=r"^([0-9]{10}|[0-9]{13})$"),
                name="facility_tax_code_digits",
                violation_error_message=_("Mã số thuế phải gồm 10 hoặc 13 chữ số."),
            ),
            models.CheckConstraint(
                condition=Q(personal_id="") | Q(personal_id__regex=r"^[0-9]{12}$"),
                name="facility_personal_id_digits",
                violation_error_message=_("Số định danh cá nhân phải gồm đúng 12 chữ số."),
            ),
            models.CheckConstraint(
                condition=Q(workers_female__lte=models.F("workers_total")),
                name="facility_female_le_total",
                violation_error_message=_("Số lao động nữ không được lớn hơn tổng số lao động."),
            ),
            models.CheckConstraint(
                condition=Q(workers_ethnic_minority__lte=models.F("workers_total")),
                name="facility_ethnic_le_total",
                violation_error_message=_(
                    "Số lao động dân tộc thiểu số không được lớn hơn tổng số lao động."
                ),
            ),
            models.CheckConstraint(
                condition=Q(annual_revenue__isnull=True) | Q(annual_revenue__gte=0),
                name="facility_revenue_non_negative",
                violation_error_message=_("Doanh thu không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(year_founded__isnull=True) | Q(year_founded__gte=1900, year_founded__lte=2100),
                name="facility_year_founded_range",
                violation_error_message=_("Năm thành lập không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="merged", merged_into__isnull=False)
                    | (~Q(status="merged") & Q(merged_into__isnull=True))
                ),
                name="facility_merged_into_iff_merged",
                violation_error_message=_("Cơ sở đã sáp nhập phải chỉ rõ cơ sở tiếp nhận (và chỉ khi đó)."),
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=models.F("pk")),
                name="facility_not_merged_into_itself",
                violation_error_message=_("Cơ sở không thể sáp nhập vào chính nó."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def identifier(self) -> str:
        return self.tax_code or self.personal_id

    @property
    def eligibility(self) -> Eligibility:
        """Computed from status, type and location (Decree 45 as amended by Decree 235/2025)."""
        if self.status == FacilityStatus.CLOSED:
            return Eligibility(False, str(_("Cơ sở đã ngừng hoạt động.")))
        if self.status == FacilityStatus.MERGED:
            return Eligibility(False, str(_("Cơ sở đã sáp nhập vào cơ sở khác.")))
        if self.kind not in FacilityKind.values:
            return Eligibility(False, str(_("Loại hình không thuộc đối tượng cơ sở CNNT.")))
        commune = self.commune
        if commune.kind == CommuneKind.WARD and self.province.is_central_city:
            return Eligibility(
                False,
                str(
                    _(
                        "Phường thuộc thành phố trực thuộc trung ương (%(province)s) "
                        "không thuộc địa bàn khuyến công."
                    )
                    % {"province": self.province.name}
                ),
            )
        kinds: dict[str, StrOrPromise] = {
            CommuneKind.COMMUNE: _("xã"),
            CommuneKind.WARD: _("phường của tỉnh"),
            CommuneKind.SPECIAL_ZONE: _("đặc khu"),
        }
        where = kinds.get(commune.kind, commune.kind)
        return Eligibility(
            True,
            str(
                _("%(kind)s hoạt động tại %(where)s: thuộc đối tượng khuyến công.")
                % {"kind": self.get_kind_display(), "where": where}
            ),
        )

    @property
    def priority_markers(self) -> list[str]:
        markers = []
        if self.disadvantaged_area:
            markers.append(str(_("Vùng khó khăn, dân tộc thiểu số")))
        if self.women_owned:
            markers.append(str(_("Phụ nữ làm chủ")))
        if self.minority_owned:
            markers.append(str(_("Người dân tộc thiểu số làm chủ")))
        if self.workers_total >= 50:
            markers.append(str(_("Sử dụng từ 50 lao động")))
        return markers


class ImportStatus(models.TextChoices):
    CHECKED = "checked", _("Đã kiểm tra (chưa ghi)")
    CHOOSE = "choose", _("Chờ chọn xã mới")
    INVALID = "invalid", _("Có lỗi")
    COMMITTED = "committed", _("Đã nhập")


class ImportBatchQuerySet(ScopedQuerySet):
    province_lookup = "province"


class ImportBatch(models.Model):
    """One upload of a facility spreadsheet: who, when, which file (SHA-256), and what it did."""

    province = models.ForeignKey(
        "regions.Province", on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh/thành phố")
    )
    file = models.FileField(_("tệp"), upload_to="imports/facilities/%Y/%m/")
    file_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=ImportStatus)
    rows_total = models.PositiveIntegerField(_("số dòng"), default=0)
    rows_created = models.PositiveIntegerField(_("số cơ sở thêm mới"), default=0)
    rows_updated = models.PositiveIntegerField(_("số cơ sở cập nhật"), default=0)
    rows_invalid = models.PositiveIntegerField(_("số dòng lỗi"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    # How the file was read: header row, column matches, formulas, merged ranges, former units mapped.
    report = models.JSONField(_("cách đọc tệp"), default=dict, blank=True)
    # Row number → commune chosen by the user for a former commune split between several new ones.
    choices = models.JSONField(_("xã mới đã chọn"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người nhập")
    )
    created_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    committed_at = models.DateTimeField(_("thời điểm ghi"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần nhập dữ liệu cơ sở")
        verbose_name_plural = _("lần nhập dữ liệu cơ sở")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d/%m/%Y %H:%M})"


class PersonalDataAction(models.TextChoices):
    REVEAL = "reveal", _("xem số đầy đủ")
    EXPORT = "export", _("xuất tệp")


class PersonalDataAccess(models.Model):
    """Who saw personal data unmasked, or exported it, when, and which record or export (Decree 356/2025).

    Written by the portal only (beneficiaries.services.log_personal_data); read in the admin.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người dùng")
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    action = models.CharField(_("hành động"), max_length=10, choices=PersonalDataAction.choices)
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ sở"),
    )
    export = models.CharField(_("tệp xuất"), max_length=100, blank=True)
    row_count = models.PositiveIntegerField(_("số dòng"), null=True, blank=True)
    unmasked = models.BooleanField(_("số đầy đủ"), default=False)

    class Meta:
        verbose_name = _("nhật ký truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.user} · {self.at:%d/%m/%Y %H:%M}"
