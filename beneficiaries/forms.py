"""Forms of the facility register: create/edit (crispy), list filters, and the import upload."""

from __future__ import annotations

import contextlib
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.caching import cached
from core.files import SPREADSHEET_KINDS, validate_upload
from core.forms import field_of
from core.money import MoneyField
from core.scoping import fixed_province_id, sees_many_provinces
from regions.former import add_legacy_fields
from regions.models import Commune, LegacyCommune, Province

from .models import CraftVillage, Facility, FacilityKind, FacilityStatus, Sector
from .validation import normalise_personal_id, normalise_tax_code


class RemoteSelect(forms.Select):
    """A select filled by a JSON search (Tom Select, see static/js/portal.js): it renders only the
    chosen option, never the 3,321 communes or 500,000 facilities behind it."""

    def __init__(
        self, url_name: str, province_from: str | None = None, attrs: dict | None = None, empty: Any = None
    ) -> None:
        super().__init__(attrs)
        self.url_name = url_name
        self.province_from = province_from
        self.empty = empty

    def __deepcopy__(self, memo: dict) -> RemoteSelect:
        obj = super().__deepcopy__(memo)
        obj.url_name, obj.province_from, obj.empty = self.url_name, self.province_from, self.empty
        return obj

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        attrs = dict(attrs or {})
        attrs["data-kc-search"] = reverse(self.url_name)
        if self.province_from:
            attrs["data-kc-province-from"] = self.province_from
        return super().get_context(name, value, attrs)

    def optgroups(self, name: str, value: list, attrs: dict | None = None) -> list:
        chosen = [v for v in value if v not in ("", None)]
        options = [("", str(self.empty or _("— Gõ để tìm —")))]
        queryset = getattr(self.choices, "queryset", None)
        if chosen and queryset is not None:
            with contextlib.suppress(ValueError, TypeError):
                options += [(str(obj.pk), self.label(obj)) for obj in queryset.filter(pk__in=chosen)[:10]]
        groups = []
        for index, (option_value, label) in enumerate(options):
            selected = option_value != "" and option_value in [str(v) for v in chosen]
            groups.append(
                (None, [self.create_option(name, option_value, label, selected, index, attrs=attrs)], index)
            )
        return groups

    def label(self, obj: Any) -> str:
        if isinstance(obj, Commune):
            return f"{obj.name} — {obj.province.short_name}"
        return str(obj)


class FacilityForm(forms.ModelForm):
    """Create or edit a facility. Scope, duplicates and province are enforced again in the services."""

    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"), queryset=Province.objects.none(), empty_label=None
    )
    commune = forms.ModelChoiceField(
        label=_("Xã/phường/đặc khu"),
        queryset=Commune.objects.select_related("province"),
        widget=RemoteSelect("regions:commune_search", province_from="#id_province"),
        error_messages={"required": _("Vui lòng chọn xã/phường/đặc khu.")},
    )
    legacy_commune = forms.ModelChoiceField(
        label=_("Địa chỉ cũ (trước 1/7/2025)"),
        queryset=LegacyCommune.objects.select_related("legacy_district__legacy_province"),
        required=False,
        widget=RemoteSelect("regions:legacy_commune_search"),
        help_text=_("Xã, huyện, tỉnh cũ ghi trên giấy tờ trước sáp nhập (nếu có)."),
    )
    merged_into = forms.ModelChoiceField(
        label=_("Sáp nhập vào cơ sở"),
        queryset=Facility.objects.none(),
        required=False,
        widget=RemoteSelect("beneficiaries:facility_search"),
    )
    tax_code = forms.CharField(label=_("Mã số thuế"), required=False, max_length=20)
    personal_id = forms.CharField(label=_("Số định danh cá nhân của chủ hộ"), required=False, max_length=20)
    annual_revenue = MoneyField(label=_("Doanh thu năm (đồng)"), required=False)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Ngành nghề (VSIC 2018)"),
        queryset=Sector.objects.filter(is_active=True).exclude(level="section"),
        required=False,
        widget=forms.SelectMultiple(attrs={"data-kc-enhance": "1"}),
    )
    # Rendered by the template (a checkbox) only after a same-name duplicate was shown.
    allow_same_name = forms.BooleanField(required=False)

    class Meta:
        model = Facility
        fields = [
            "name",
            "kind",
            "tax_code",
            "personal_id",
            "business_reg_no",
            "representative",
            "phone",
            "email",
            "province",
            "commune",
            "address",
            "legacy_commune",
            "craft_village",
            "sectors",
            "main_products",
            "year_founded",
            "workers_total",
            "workers_female",
            "workers_ethnic_minority",
            "annual_revenue",
            "status",
            "merged_into",
            "women_owned",
            "minority_owned",
            "disadvantaged_area",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field_of(self, "province", forms.ModelChoiceField).queryset = Province.objects.visible_to(user)
        if self.instance.pk:
            self.fields["province"].initial = self.instance.province_id
        else:
            self.fields["province"].initial = fixed_province_id(user)
        field_of(self, "craft_village", forms.ModelChoiceField).queryset = CraftVillage.objects.visible_to(
            user
        ).order_by("name")
        self.fields["craft_village"].widget.attrs["data-kc-enhance"] = "1"
        field_of(self, "craft_village", forms.ModelChoiceField).empty_label = _("— Không thuộc làng nghề —")
        field_of(self, "merged_into", forms.ModelChoiceField).queryset = Facility.objects.visible_to(
            user
        ).select_related("province")
        for name in ("workers_total", "workers_female", "workers_ethnic_minority"):
            field = field_of(self, name, forms.IntegerField)
            field.min_value = None
            field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
            field.widget.attrs.pop("min", None)
        self.fields["workers_total"].help_text = _("Gồm cả chủ cơ sở và lao động thời vụ thường xuyên.")
        self.fields["year_founded"].widget.attrs.update({"min": 1900, "max": 2100})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Thông tin chung"),
                Row(Column("name", css_class="col-md-8"), Column("kind", css_class="col-md-4")),
                Row(
                    Column("tax_code", css_class="col-md-4"),
                    Column("personal_id", css_class="col-md-4"),
                    Column("business_reg_no", css_class="col-md-4"),
                ),
                Row(
                    Column("representative", css_class="col-md-4"),
                    Column("phone", css_class="col-md-4"),
                    Column("email", css_class="col-md-4"),
                ),
            ),
            Fieldset(
                _("Địa chỉ"),
                Row(Column("province", css_class="col-md-4"), Column("commune", css_class="col-md-8")),
                Row(Column("address", css_class="col-md-8"), Column("craft_village", css_class="col-md-4")),
                "legacy_commune",
            ),
            Fieldset(
                _("Sản xuất, lao động"),
                "sectors",
                Row(
                    Column("main_products", css_class="col-md-8"),
                    Column("year_founded", css_class="col-md-4"),
                ),
                Row(
                    Column("workers_total", css_class="col-md-3"),
                    Column("workers_female", css_class="col-md-3"),
                    Column("workers_ethnic_minority", css_class="col-md-3"),
                    Column("annual_revenue", css_class="col-md-3"),
                ),
            ),
            Fieldset(
                _("Ưu tiên và trạng thái"),
                Row(
                    Column(Field("women_owned"), css_class="col-md-4"),
                    Column(Field("minority_owned"), css_class="col-md-4"),
                    Column(Field("disadvantaged_area"), css_class="col-md-4"),
                ),
                Row(Column("status", css_class="col-md-4"), Column("merged_into", css_class="col-md-8")),
            ),
            Div(
                Submit("save", _("Lưu"), css_class="btn-primary"),
                HTML(
                    '<a class="btn btn-outline-secondary ms-2" href="{{ cancel_url }}">'
                    + str(_("Hủy"))
                    + "</a>"
                ),
                css_class="mt-3",
            ),
        )

    def clean_tax_code(self) -> str:
        return normalise_tax_code(self.cleaned_data.get("tax_code"))

    def clean_personal_id(self) -> str:
        return normalise_personal_id(self.cleaned_data.get("personal_id"))

    def _non_negative(self, name: str) -> int:
        value = self.cleaned_data.get(name)
        if value is not None and value < 0:
            raise ValidationError(_("Số lao động không được âm."), code="negative")
        return value or 0

    def clean_workers_total(self) -> int:
        return self._non_negative("workers_total")

    def clean_workers_female(self) -> int:
        return self._non_negative("workers_female")

    def clean_workers_ethnic_minority(self) -> int:
        return self._non_negative("workers_ethnic_minority")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        province, commune = data.get("province"), data.get("commune")
        if province and commune and commune.province_id != province.pk:
            self.add_error(
                "commune",
                _("%(commune)s không thuộc %(province)s. Hãy chọn xã/phường của tỉnh đã chọn.")
                % {"commune": commune.name, "province": province.name},
            )
        total = data.get("workers_total")
        if total is not None:
            if (data.get("workers_female") or 0) > total:
                self.add_error("workers_female", _("Số lao động nữ không được lớn hơn tổng số lao động."))
            if (data.get("workers_ethnic_minority") or 0) > total:
                self.add_error(
                    "workers_ethnic_minority",
                    _("Số lao động dân tộc thiểu số không được lớn hơn tổng số lao động."),
                )
        if data.get("kind") == FacilityKind.HOUSEHOLD:
            if not data.get("tax_code") and not data.get("personal_id") and "tax_code" not in self.errors:
                self.add_error(
                    "personal_id", _("Hộ kinh doanh cần mã số thuế hoặc số định danh cá nhân của chủ hộ.")
                )
        elif data.get("kind") and not data.get("tax_code") and "tax_code" not in self.errors:
            self.add_error("tax_code", _("Doanh nghiệp, hợp tác xã và tổ hợp tác phải có mã số thuế."))
        status = data.get("status")
        if status == FacilityStatus.MERGED and not data.get("merged_into"):
            self.add_error("merged_into", _("Hãy chọn cơ sở tiếp nhận khi trạng thái là “Đã sáp nhập”."))
        if data.get("merged_into") and self.instance.pk and data["merged_into"].pk == self.instance.pk:
            self.add_error("merged_into", _("Cơ sở không thể sáp nhập vào chính nó."))
        return data

    def _post_clean(self) -> None:
        # The services run full_clean (constraints included) inside their transaction.
        pass

    def service_data(self) -> dict[str, Any]:
        data = {
            k: v for k, v in self.cleaned_data.items() if k not in ("sectors", "province", "allow_same_name")
        }
        return data


def _cached_choices(kind: str) -> list[tuple[Any, str]]:
    """Province or sector filter choices, cached for five minutes (sectors are editable in the admin)."""

    def build() -> list[tuple[Any, str]]:
        if kind == "province":
            # scope: the province filter is shown only to users who see every province
            return [(p.pk, p.name) for p in Province.objects.order_by("name")]
        sectors = Sector.objects.filter(is_active=True, level__in=["section", "division", "group"])
        return [(s.code, str(s)) for s in sectors.order_by("code")]

    choices = cached(f"beneficiaries:filter-choices:{kind}", build, 300)
    return [("", str(_("Tất cả"))), *choices]


class FacilityFilterForm(forms.Form):
    """The list's filters; every field is optional and bad values are ignored, never a 500."""

    YES_NO = [("", _("Tất cả")), ("yes", _("Có")), ("no", _("Không"))]

    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Tên cơ sở, mã số thuế, người đại diện…"), "type": "search"}
        ),
    )
    # Reference data as cached choices: no query to render or to clean them (list pages stay ≤ 8).
    province = forms.TypedChoiceField(
        label=_("Tỉnh/thành phố"), choices=lambda: _cached_choices("province"), coerce=int, required=False
    )
    commune = forms.ModelChoiceField(
        label=_("Xã/phường"),
        queryset=Commune.objects.select_related("province"),
        required=False,
        widget=RemoteSelect("regions:commune_search", province_from="#id_province", empty=_("Tất cả")),
    )
    kind = forms.ChoiceField(
        label=_("Loại hình"), choices=[("", _("Tất cả")), *FacilityKind.choices], required=False
    )
    sector = forms.ChoiceField(label=_("Ngành"), choices=lambda: _cached_choices("sector"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả")), *FacilityStatus.choices], required=False
    )
    eligible = forms.ChoiceField(label=_("Đủ điều kiện hỗ trợ"), choices=YES_NO, required=False)
    supported = forms.ChoiceField(label=_("Đã nhận hỗ trợ"), choices=YES_NO, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not sees_many_provinces(user):
            del self.fields["province"]
            # The list template renders a hidden #kc-province-scope holding the user's province.
            self.fields["commune"].widget.province_from = "#kc-province-scope"
        add_legacy_fields(self, user, self.data if self.is_bound else None)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ImportUploadForm(forms.Form):
    """The spreadsheet to check: .xlsx or .csv, by content, within the size limit."""

    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) hoặc CSV"),
        error_messages={"required": _("Hãy chọn tệp để nhập."), "empty": _("Tệp rỗng.")},
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"), queryset=Province.objects.none(), required=True
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if sees_many_provinces(user):
            field_of(self, "province", forms.ModelChoiceField).queryset = Province.objects.visible_to(user)
        else:
            del self.fields["province"]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        self.kind = validate_upload(upload, SPREADSHEET_KINDS)
        return upload

    def chosen_province_id(self) -> int:
        if "province" in self.fields:
            return self.cleaned_data["province"].pk
        fixed = fixed_province_id(self.user)
        if fixed is None:  # the field is only left out for users of one province
            raise ValueError("a user without a province chose none")
        return fixed
