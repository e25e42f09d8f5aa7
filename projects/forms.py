"""Forms of the projects pages. They validate shape; the services hold the rules."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from beneficiaries.models import Facility
from core.forms import field_of, mark_required
from core.money import MoneyField
from core.parsing import is_ascii_id
from core.scoping import fixed_province_id, user_can_see_province
from regions.choices import province_choices
from regions.former import (
    LEGACY_DISTRICT_LABEL,
    LEGACY_PROVINCE_LABEL,
    legacy_district_choices,
    legacy_province_choices,
)
from regions.models import Commune, Province

from . import workflow
from .models import (
    ActivityCategory,
    AdjustmentKind,
    DocumentType,
    FundingLevel,
    IndicatorKind,
    Project,
    ProjectCategory,
    ProjectCommune,
    ProjectKind,
    ProjectStatus,
    SelectionMethod,
)
from .services.documents import missing_documents

YEAR_MIN, YEAR_MAX = 2015, 2035
# Indicators are stored in PositiveIntegerField columns.
INDICATOR_MAX = 2_147_483_647
ALL = _("Tất cả")
YES = [("1", _("Có"))]


def _selected_only(field: forms.ModelChoiceField, values: list[Any]) -> None:
    """Render only the chosen options (the rest load by search), so a 500,000-row table never renders."""
    ids = [v for v in values if is_ascii_id(v)]
    queryset = field.queryset
    chosen = queryset.filter(pk__in=ids) if queryset is not None and ids else []
    field.widget.choices = [(obj.pk, str(obj)) for obj in chosen]


def _values(form: forms.BaseForm, name: str) -> list[Any]:
    if form.is_bound:
        key = form.add_prefix(name)
        return form.data.getlist(key) if hasattr(form.data, "getlist") else [form.data.get(key)]
    initial = form.initial.get(name) or []
    if not isinstance(initial, list | tuple):
        initial = [initial]
    return [getattr(v, "pk", v) for v in initial]


class ProjectForm(forms.Form):
    """Screen 1 of registration: everything a đề án needs, beneficiaries included."""

    title = forms.CharField(label=_("Tên đề án"), max_length=500)
    province = forms.ModelChoiceField(label=_("Tỉnh/thành phố quản lý"), queryset=Province.objects.none())
    start_year = forms.IntegerField(label=_("Năm bắt đầu"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    end_year = forms.IntegerField(label=_("Năm kết thúc"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    funding_level = forms.ChoiceField(
        label=_("Cấp kinh phí"), choices=FundingLevel.choices, initial=FundingLevel.KCDP
    )
    category = forms.ModelChoiceField(
        label=_("Nội dung hoạt động chính"), queryset=ActivityCategory.objects.all()
    )
    kind = forms.ChoiceField(label=_("Loại đề án"), choices=ProjectKind.choices, initial=ProjectKind.REGULAR)
    extra_categories = forms.ModelMultipleChoiceField(
        label=_("Nội dung kết hợp (đề án điểm)"),
        queryset=ActivityCategory.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"data-kc-enhance": "1"}),
    )
    is_key = forms.BooleanField(label=_("Đề án trọng điểm của tỉnh"), required=False)
    selection_method = forms.ChoiceField(label=_("Hình thức lựa chọn"), choices=SelectionMethod.choices)
    implementing_unit = forms.ModelChoiceField(
        label=_("Đơn vị thực hiện"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— Chọn trong danh sách —"),
    )
    implementing_unit_name = forms.CharField(
        label=_("hoặc tên đơn vị thực hiện khác"), max_length=255, required=False
    )
    communes = forms.ModelMultipleChoiceField(
        label=_("Địa bàn thực hiện (xã/phường)"),
        queryset=Commune.objects.all(),
        widget=forms.SelectMultiple(
            attrs={
                "data-kc-search": reverse_lazy("regions:commune_search"),
                "data-kc-province-from": "#id_province",
            }
        ),
    )
    facilities = forms.ModelMultipleChoiceField(
        label=_("Cơ sở thụ hưởng"),
        queryset=Facility.objects.none(),
        required=False,
        help_text=_("Gõ tên hoặc mã số thuế để tìm. Đề án nhóm có thể bổ sung cơ sở sau khi phê duyệt."),
        widget=forms.SelectMultiple(
            attrs={
                "data-kc-search": reverse_lazy("projects:facility_lookup"),
                "data-kc-province-from": "#id_province",
            }
        ),
    )
    total_cost = MoneyField(
        label=_("Tổng kinh phí dự kiến (đồng)"), help_text=_("Ví dụ: 450.000.000 hoặc 450 triệu")
    )
    objectives = forms.CharField(
        label=_("Mục tiêu, nội dung chính"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    # Ticked in the duplicate warning (templates/projects/project_form.html), never rendered otherwise.
    allow_duplicate = forms.BooleanField(required=False)

    def __init__(self, *args: Any, user: Any, project: Project | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.project = user, project
        self.duplicates: list[Project] = []
        self.helper = FormHelper()
        self.helper.form_tag = False
        fixed = fixed_province_id(user)
        field_of(self, "province", forms.ModelChoiceField).queryset = Province.objects.visible_to(user)
        if fixed is not None or project is not None:
            self.fields["province"].widget = forms.HiddenInput()
            if not self.is_bound and project is None:
                self.initial["province"] = fixed
        # Units of the user's own province; national users register through national units.
        units = Organisation.objects.filter(is_active=True)
        units = units.filter(province_id=fixed) if fixed is not None else units.filter(province__isnull=True)
        field_of(self, "implementing_unit", forms.ModelChoiceField).queryset = units
        field_of(self, "facilities", forms.ModelChoiceField).queryset = Facility.objects.visible_to(user)
        # One of the unit or its written name is required (clean() below).
        mark_required(self, "implementing_unit")
        field_of(self, "category", forms.ModelChoiceField).queryset = ActivityCategory.objects.in_force_on(
            timezone.localdate()
        ) | (
            ActivityCategory.objects.filter(pk=project.category_id)
            if project
            else ActivityCategory.objects.none()
        )
        if project is not None:
            del self.fields["facilities"]  # edited on the beneficiaries tab
        else:
            _selected_only(field_of(self, "facilities", forms.ModelChoiceField), _values(self, "facilities"))
        _selected_only(field_of(self, "communes", forms.ModelChoiceField), _values(self, "communes"))
        this_year = timezone.localdate().year
        self.fields["start_year"].initial = this_year
        self.fields["end_year"].initial = this_year

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("Năm kết thúc không được trước năm bắt đầu."))
        if not data.get("implementing_unit") and not (data.get("implementing_unit_name") or "").strip():
            self.add_error("implementing_unit", _("Cần chọn hoặc ghi tên đơn vị thực hiện."))
        self._warn_duplicates(data)
        province = data.get("province") or (self.project.province if self.project else None)
        for commune in data.get("communes") or []:
            if province is not None and commune.province_id != province.pk:
                self.add_error(
                    "communes", _("Xã/phường “%(name)s” không thuộc tỉnh đã chọn.") % {"name": commune.name}
                )
                break
        return data

    def _warn_duplicates(self, data: dict[str, Any]) -> None:
        """A new đề án with the title, start year and a beneficiary of one already registered (the same
        draft saved twice) is held back until the user confirms it is another one."""
        title, year, facilities = (
            (data.get("title") or "").strip(),
            data.get("start_year"),
            data.get("facilities"),
        )
        if self.project is not None or not title or not year or not facilities or data.get("allow_duplicate"):
            return
        self.duplicates = list(
            Project.objects.visible_to(self.user)
            .filter(title__iexact=title, start_year=year, beneficiaries__facility__in=facilities)
            .exclude(status__in=(ProjectStatus.REJECTED, ProjectStatus.STOPPED))
            .distinct()
            .order_by("-pk")[:5]
        )
        if self.duplicates:
            self.add_error(
                "title", _("Trùng với đề án đã đăng ký (cùng tên, năm và cơ sở); xem cảnh báo phía trên.")
            )


class TransitionForm(forms.Form):
    """The fields a workflow step asks for, built from ``workflow.Transition``."""

    comment = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60, required=False)
    decision_date = forms.DateField(
        label=_("Ngày quyết định"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    decision_signer = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    appraisal_score = forms.IntegerField(
        label=_("Điểm thẩm định (0–100)"), min_value=0, max_value=100, required=False
    )
    appraisal_recommendation = forms.CharField(
        label=_("Kết luận, kiến nghị của hội đồng"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    file = forms.FileField(label=_("Tệp kèm theo (PDF, Word, Excel, ảnh)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, transition: workflow.Transition, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.transition, self.project = transition, project
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.initial.setdefault("version", project.version)
        wanted = set(transition.fields)
        for name in list(self.fields):
            if name == "version":
                continue
            if name not in wanted:
                del self.fields[name]
            elif name in transition.required:
                self.fields[name].required = True
        if "decision_number" in self.fields:
            self.fields["decision_number"].label = transition.number_label
        if "decision_date" in self.fields:
            self.fields["decision_date"].label = transition.date_label
        if "file" in self.fields and transition.name == "approve":
            self.fields["file"].label = _("Tệp quyết định phê duyệt (PDF)")
        if "file" in self.fields and missing_documents(project, transition, with_upload=False):
            mark_required(self, "file")
        if workflow.ACTUAL_INDICATORS in wanted:
            for indicator in project.indicators.all():
                self.fields[f"actual_{indicator.kind}"] = forms.IntegerField(
                    label=_("%(name)s — thực hiện (kế hoạch: %(planned)s)")
                    % {"name": indicator.get_kind_display(), "planned": indicator.planned},
                    min_value=0,
                    max_value=INDICATOR_MAX,
                    initial=indicator.actual if indicator.actual is not None else indicator.planned,
                )

    def clean_decision_date(self) -> datetime.date | None:
        value = self.cleaned_data.get("decision_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Ngày không được sau ngày hôm nay."))
        return value

    def actual_indicators(self) -> dict[str, int]:
        return {
            name.removeprefix("actual_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("actual_") and value is not None
        }


class IndicatorsForm(forms.Form):
    """Planned indicators, one field for each kind that fits the category (plus those already set)."""

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        existing = {i.kind: i.planned for i in project.indicators.all()}
        kinds = list(project.category.indicator_kinds)
        for cat in project.extra_categories.all():
            kinds += [k for k in cat.indicator_kinds if k not in kinds]
        kinds += [k for k in existing if k not in kinds]
        if not kinds:
            kinds = [IndicatorKind.FACILITIES_SUPPORTED]
        for kind in kinds:
            self.fields[kind] = forms.IntegerField(
                label=IndicatorKind(kind).label,
                min_value=0,
                max_value=INDICATOR_MAX,
                required=False,
                initial=existing.get(kind, 0),
            )


class DocumentForm(forms.Form):
    document_type = forms.ChoiceField(label=_("Loại tài liệu"), choices=DocumentType.choices)
    title = forms.CharField(label=_("Tên tài liệu"), max_length=255, required=False)
    file = forms.FileField(label=_("Tệp (PDF, Word, Excel, ảnh; tối đa 20 MB)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class BeneficiaryForm(forms.Form):
    facility = forms.ModelChoiceField(
        label=_("Thêm cơ sở thụ hưởng"),
        queryset=Facility.objects.none(),
        widget=forms.Select(
            attrs={
                "data-kc-search": reverse_lazy("projects:facility_lookup"),
                "data-kc-province-from": "#kc-province-scope",
            }
        ),
    )
    note = forms.CharField(label=_("Nội dung hỗ trợ"), max_length=255, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "facility", forms.ModelChoiceField).queryset = Facility.objects.visible_to(user)
        _selected_only(field_of(self, "facility", forms.ModelChoiceField), _values(self, "facility"))


class AdjustmentForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Nội dung điều chỉnh"), choices=AdjustmentKind.choices, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(label=_("Lý do điều chỉnh"), widget=forms.Textarea(attrs={"rows": 3}))
    title = forms.CharField(label=_("Tên đề án"), max_length=500)
    end_year = forms.IntegerField(label=_("Năm kết thúc"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    total_cost = MoneyField(label=_("Tổng kinh phí (đồng)"))
    implementing_unit_name = forms.CharField(
        label=_("Đơn vị thực hiện (ghi tên)"), max_length=255, required=False
    )
    objectives = forms.CharField(
        label=_("Mục tiêu, nội dung"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    communes = forms.ModelMultipleChoiceField(
        label=_("Địa bàn thực hiện"),
        queryset=Commune.objects.all(),
        widget=forms.SelectMultiple(
            attrs={
                "data-kc-search": reverse_lazy("regions:commune_search"),
                "data-kc-province-from": "#kc-province-scope",
            }
        ),
    )
    facilities = forms.ModelMultipleChoiceField(
        label=_("Cơ sở thụ hưởng"),
        queryset=Facility.objects.none(),
        required=False,
        widget=forms.SelectMultiple(
            attrs={
                "data-kc-search": reverse_lazy("projects:facility_lookup"),
                "data-kc-province-from": "#kc-province-scope",
            }
        ),
    )
    decision_number = forms.CharField(label=_("Số quyết định điều chỉnh"), max_length=60)
    decision_date = forms.DateField(
        label=_("Ngày quyết định"), widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )
    file = forms.FileField(label=_("Tệp quyết định điều chỉnh"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": project.title,
                "end_year": project.end_year,
                "total_cost": project.total_cost,
                "implementing_unit_name": project.implementing_unit_name,
                "objectives": project.objectives,
                "communes": list(project.communes.all()),
                "facilities": [b.facility_id for b in project.beneficiaries.all()],
                "version": project.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        field_of(self, "communes", forms.ModelChoiceField).queryset = Commune.objects.filter(
            province_id=project.province_id
        )
        _selected_only(field_of(self, "communes", forms.ModelChoiceField), _values(self, "communes"))
        # scope: the project's province; the project came through visible_to
        field_of(self, "facilities", forms.ModelChoiceField).queryset = Facility.objects.filter(
            province_id=project.province_id
        )
        _selected_only(field_of(self, "facilities", forms.ModelChoiceField), _values(self, "facilities"))


class ProgressReportForm(forms.Form):
    period = forms.DateField(
        label=_("Tháng báo cáo (ngày bất kỳ trong tháng)"),
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    percent_done = forms.IntegerField(label=_("Khối lượng hoàn thành (%)"), min_value=0, max_value=100)
    money_used = MoneyField(label=_("Kinh phí đã sử dụng (đồng)"))
    problems = forms.CharField(
        label=_("Khó khăn, vướng mắc"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    INDICATOR_PREFIX = "indicator_"

    def __init__(self, *args: Any, project: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One field per planned indicator: what has been achieved so far (cumulative).
        for indicator in project.indicators.all() if project is not None else []:
            self.fields[f"{self.INDICATOR_PREFIX}{indicator.kind}"] = forms.IntegerField(
                label=_("%(kind)s — đã đạt (kế hoạch %(planned)s)")
                % {"kind": indicator.get_kind_display(), "planned": indicator.planned},
                min_value=0,
                max_value=2_147_483_647,
                required=False,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def service_kwargs(self) -> dict[str, Any]:
        """The service's arguments: the report's fields and the indicators as ``{kind: value}``."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith(self.INDICATOR_PREFIX)}
        data["indicators"] = {
            k.removeprefix(self.INDICATOR_PREFIX): v
            for k, v in self.cleaned_data.items()
            if k.startswith(self.INDICATOR_PREFIX) and v is not None
        }
        return data


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Giải trình (vì sao chấp nhận)"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


# --- The list's filters ---------------------------------------------------------------------------


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tìm theo tên, mã đề án"), method="filter_q")
    year = django_filters.NumberFilter(label=_("Năm"), method="filter_year")
    year_from = django_filters.NumberFilter(label=_("Từ năm"), method="filter_year_from")
    year_to = django_filters.NumberFilter(label=_("Đến năm"), method="filter_year_to")
    province = django_filters.ChoiceFilter(
        label=_("Tỉnh/thành phố"), field_name="province", choices=province_choices, empty_label=ALL
    )
    funding_level = django_filters.ChoiceFilter(
        label=_("Cấp kinh phí"), choices=FundingLevel.choices, empty_label=ALL
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Nội dung"),
        queryset=ActivityCategory.objects.all(),
        method="filter_category",
        empty_label=ALL,
    )
    kind = django_filters.ChoiceFilter(label=_("Loại đề án"), choices=ProjectKind.choices, empty_label=ALL)
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=ProjectStatus.choices, empty_label=ALL
    )
    commune = django_filters.ModelChoiceFilter(
        label=_("Xã/phường"),
        queryset=Commune.objects.all(),
        method="filter_commune",
        widget=forms.Select(attrs={"data-kc-search": reverse_lazy("regions:commune_search")}),
    )
    implementing_unit = django_filters.ModelChoiceFilter(
        label=_("Đơn vị thực hiện"), queryset=Organisation.objects.all(), empty_label=ALL
    )
    legacy_province = django_filters.ChoiceFilter(
        label=LEGACY_PROVINCE_LABEL, field_name="legacy_province_id", choices=(), empty_label=ALL
    )
    legacy_district = django_filters.ChoiceFilter(
        label=LEGACY_DISTRICT_LABEL, field_name="legacy_district_id", choices=(), empty_label=ALL
    )
    # Drill-downs of the dashboard (reports.dashboard): each lands on exactly the projects its figure
    # counted. Not in the filter form: the list keeps them as hidden inputs and shows them as chips.
    reached = django_filters.ChoiceFilter(
        label=_("Đã qua bước"), choices=ProjectStatus.choices, method="filter_reached", empty_label=ALL
    )
    decided = django_filters.ChoiceFilter(
        label=_("Đã được phê duyệt (còn hiệu lực)"), choices=YES, method="filter_decided", empty_label=ALL
    )
    funded = django_filters.ChoiceFilter(
        label=_("Có kinh phí nhà nước giao"), choices=YES, method="filter_funded", empty_label=ALL
    )
    main_category = django_filters.ModelChoiceFilter(
        label=_("Nội dung chính"),
        queryset=ActivityCategory.objects.all(),
        field_name="category",
        empty_label=ALL,
    )
    money_year = django_filters.NumberFilter(label=_("Có kinh phí trong năm"), method="filter_money_year")

    DRILL_DOWNS = ("reached", "decided", "funded", "main_category", "money_year")

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fixed = fixed_province_id(user)
        if fixed is not None:
            self.filters["implementing_unit"].queryset = Organisation.objects.filter(province_id=fixed)
            self.form.fields["province"].choices = [
                ("", ALL),
                *((code, name) for code, name in province_choices() if user_can_see_province(user, code)),
            ]
        chosen_legacy = str(self.data.get("legacy_province") or "") if self.data else ""
        self.form.fields["legacy_province"].choices = [("", ALL), *legacy_province_choices(user)]
        self.form.fields["legacy_district"].choices = [
            ("", ALL),
            *legacy_district_choices(user, int(chosen_legacy) if is_ascii_id(chosen_legacy) else None),
        ]
        value = self.data.get("commune") if self.data else None
        chosen = (
            Commune.objects.filter(pk=int(str(value))).select_related("province")
            if is_ascii_id(value)
            else []
        )
        self.form.fields["commune"].widget.choices = [("", _("Tất cả"))] + [(c.pk, str(c)) for c in chosen]
        # Communes are searched within the user's own province, or within the province chosen above.
        self.form.fields["commune"].widget.attrs["data-kc-province-from"] = (
            "#kc-province-scope" if fixed is not None else "#id_province"
        )
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.Select) and "data-kc-search" not in field.widget.attrs:
                field.widget.attrs.setdefault("class", "form-select")

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        from core.search import unaccent_contains

        return queryset.filter(unaccent_contains(["title", "code"], value))

    def filter_year(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(start_year__lte=value, end_year__gte=value)

    # A range keeps every project that runs in at least one of its years, as the dashboard counts.
    def filter_year_from(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(end_year__gte=value)

    def filter_year_to(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(start_year__lte=value)

    def filter_category(self, queryset: Any, name: str, value: Any) -> Any:
        linked = ProjectCategory.objects.filter(activitycategory=value).values("project_id")
        return queryset.filter(Q(category=value) | Q(pk__in=linked))

    def filter_reached(self, queryset: Any, name: str, value: str) -> Any:
        """Projects that have been through the step, wherever they are now (the dashboard's funnel)."""
        return queryset.filter(status__in=workflow.reached_states(value))

    def filter_decided(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(status__in=workflow.DECIDED_STATES)

    def filter_funded(self, queryset: Any, name: str, value: str) -> Any:
        """Projects with state money allocated (the rows behind the dashboard's money cards)."""
        from funding.models import Allocation

        # scope: a subquery; the rows are the list's own (already visible_to) projects
        return queryset.filter(pk__in=Allocation.objects.filter(amount__gt=0).values("project_id"))

    def filter_money_year(self, queryset: Any, name: str, value: Any) -> Any:
        """Projects with money of that year: state money allocated, or counterpart and other money
        planned (the stacks of the dashboard's chart by year)."""
        from funding.models import Allocation, CostPlanLine

        # scope: subqueries; the rows are the list's own (already visible_to) projects
        allocated = Allocation.objects.filter(year=value).exclude(amount=0).values("project_id")
        # scope: as above
        planned = (
            CostPlanLine.objects.filter(year=value, source__in=("counterpart", "other"))
            .exclude(amount=0)
            .values("project_id")
        )
        return queryset.filter(Q(pk__in=allocated) | Q(pk__in=planned))

    def drill_downs(self) -> list[tuple[str, str, str]]:
        """(name, value, label: value in words) of the drill-down filters in use, for the list's chips."""
        if not self.is_bound or not self.form.is_valid():
            return []
        chips = []
        for name in self.DRILL_DOWNS:
            value = self.form.cleaned_data.get(name)
            if value in (None, ""):
                continue
            field = self.form.fields[name]
            raw = self.data.get(name)
            if hasattr(field, "choices") and not isinstance(value, ActivityCategory):
                text = str(dict(field.choices).get(raw, raw))
            else:
                text = str(value)
            chips.append((name, str(raw), f"{field.label}: {text}"))
        return chips

    def filter_commune(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(pk__in=ProjectCommune.objects.filter(commune=value).values("project_id"))
