"""Parameter forms of the dashboard and the reports: the province choice is limited to the user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import field_of
from core.scoping import fixed_province_id
from projects.models import ActivityCategory, FundingLevel, Project, ProjectKind
from regions.former import add_legacy_fields
from regions.models import Province

from .selectors import Filters, default_year_range

MAX_YEARS = 15


def year_choices() -> list[tuple[int, int]]:
    this_year = dt.date.today().year
    return [(y, y) for y in range(this_year + 1, 2011, -1)]


class ScopeForm(forms.Form):
    """Year range, province (as allowed) and funding level: what every report and the dashboard share."""

    year_from = forms.TypedChoiceField(label=_("Từ năm"), coerce=int, choices=())
    year_to = forms.TypedChoiceField(label=_("Đến năm"), coerce=int, choices=())
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("Toàn quốc"),
    )
    funding_level = forms.ChoiceField(
        label=_("Cấp kinh phí"),
        choices=[("", _("Tất cả")), *list(FundingLevel.choices)],
        required=False,
    )

    province_required = False

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        choices = year_choices()
        field_of(self, "year_from", forms.ChoiceField).choices = choices
        field_of(self, "year_to", forms.ChoiceField).choices = choices
        y1, y2 = default_year_range()
        self.fields["year_from"].initial = y1
        self.fields["year_to"].initial = y2
        province_field = field_of(self, "province", forms.ModelChoiceField)
        province_field.queryset = Province.objects.visible_to(user).order_by("name")
        fixed = fixed_province_id(user)
        if fixed is None:
            province_field.required = self.province_required
            if self.province_required:
                province_field.empty_label = _("— Chọn tỉnh/thành phố —")
        else:
            province_field.required = True
            province_field.empty_label = None
            province_field.initial = fixed
        add_legacy_fields(self, user, self.data if self.is_bound else None)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        y1, y2 = cleaned.get("year_from"), cleaned.get("year_to")
        if y1 and y2:
            if y1 > y2:
                self.add_error("year_to", _("Năm kết thúc phải bằng hoặc sau năm bắt đầu."))
            elif y2 - y1 + 1 > MAX_YEARS:
                self.add_error("year_to", _("Chọn tối đa %(n)s năm.") % {"n": MAX_YEARS})
        return cleaned

    def filters(self) -> Filters:
        """The cleaned filters (call after is_valid())."""
        data = self.cleaned_data
        province = data.get("province")
        return Filters(
            year_from=data["year_from"],
            year_to=data["year_to"],
            province=province.pk if province else None,
            funding_level=data.get("funding_level") or "",
            category=data.get("category") or None,
            kind=data.get("kind") or "",
            legacy_province=data.get("legacy_province"),
            legacy_district=data.get("legacy_district"),
        )


class DashboardFilterForm(ScopeForm):
    category = forms.TypedChoiceField(
        label=_("Nội dung hoạt động"), coerce=int, empty_value=None, choices=(), required=False
    )
    kind = forms.ChoiceField(
        label=_("Loại đề án"), choices=[("", _("Tất cả")), *list(ProjectKind.choices)], required=False
    )

    def __init__(self, *args: Any, categories: list[ActivityCategory], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The category list is fetched once by the view (the dashboard counts its queries).
        field_of(self, "category", forms.ChoiceField).choices = [("", _("Tất cả"))] + [
            (c.pk, c.short_name) for c in categories
        ]


class ProvinceReportForm(ScopeForm):
    """The province's annual report: a province is required (national users choose one)."""

    province_required = True


class DossierForm(forms.Form):
    """One project's dossier: the project by its code (any project the user may see)."""

    project_code = forms.CharField(
        label=_("Mã đề án"),
        max_length=30,
        help_text=_("Nhập mã đề án, ví dụ KC-25-2026-001."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.project: Project | None = None
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_project_code(self) -> str:
        code = self.cleaned_data["project_code"].strip()
        project = Project.objects.visible_to(self.user).filter(code__iexact=code).first()
        if project is None:
            raise forms.ValidationError(
                _("Không tìm thấy đề án có mã “%(code)s” trong phạm vi của bạn.") % {"code": code}
            )
        self.project = project
        return project.code
