"""Money forms: amounts through core.money.MoneyField (6.610.000.000, 6610000000, 6,61 tỷ), dates as
dd/mm/yyyy, a hidden ``version`` for the optimistic check. Business rules live in services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from core.files import DOCUMENT_KINDS, validate_upload
from core.forms import field_of
from core.money import MoneyField
from core.scoping import sees_many_provinces
from projects.models import Project
from regions.models import Province

from .models import FundingLevel, Source

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DmyDateField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}),
        )
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"])
        kwargs.setdefault("error_messages", {"invalid": _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy.")})
        super().__init__(**kwargs)


def _money(
    label: StrOrPromise, *, required: bool = True, min_value: int = 1, help_text: StrOrPromise = ""
) -> MoneyField:
    return MoneyField(
        label=label,
        required=required,
        min_value=min_value,
        help_text=help_text or _("Ví dụ: 350.000.000, 350000000, 350 triệu hoặc 0,35 tỷ."),
        error_messages={
            "required": _("Cần nhập số tiền."),
            "min_value": _("Số tiền phải lớn hơn 0.") if min_value else _("Số tiền không được âm."),
        },
    )


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class VersionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EnvelopeForm(VersionMixin, _Form):
    province = forms.ModelChoiceField(label=_("Tỉnh/thành phố"), queryset=Province.objects.none())
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("Cấp kinh phí"), choices=FundingLevel.choices)
    amount = _money(_("Dự toán giao (đồng)"))
    decision_number = forms.CharField(label=_("Số quyết định giao dự toán"), max_length=100, required=False)
    decision_date = DmyDateField(label=_("Ngày quyết định"), required=False)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sees_many_provinces(user) and not editing:
            field_of(self, "province", forms.ModelChoiceField).queryset = Province.objects.visible_to(
                user
            ).order_by("name")
        else:
            del self.fields["province"]
        if editing:
            del self.fields["year"]
            del self.fields["level"]


class CostPlanForm(VersionMixin, _Form):
    """One row of money fields per year of the project; a blank counterpart takes the rest."""

    eligible_cost = _money(
        _("Chi phí được hỗ trợ (đồng)"),
        required=False,
        min_value=0,
        help_text=_("Để trống nếu bằng tổng kinh phí của đề án."),
    )
    facilities = forms.IntegerField(
        label=_("Số cơ sở thụ hưởng"), min_value=1, max_value=2_147_483_647, initial=1
    )
    priority_area = forms.BooleanField(
        label=_("Địa bàn ưu tiên (khó khăn, dân tộc thiểu số, biên giới)"), required=False
    )
    technology_line = forms.BooleanField(label=_("Hỗ trợ cả dây chuyền công nghệ"), required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project = project
        self.years = list(range(project.start_year, project.end_year + 1))
        self.grid: list[tuple[int, list[forms.BoundField]]] = []
        for year in self.years:
            for source, label in Source.choices:
                help_text = _("Để trống để tự tính phần còn lại.") if source == Source.COUNTERPART else " "
                self.fields[f"{source}_{year}"] = _money(
                    f"{label} {year}", required=False, min_value=0, help_text=help_text
                )
        self.source_labels = [label for _s, label in Source.choices]

    def year_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [(y, [self[f"{s}_{y}"] for s in Source.values]) for y in self.years]

    def rows(self) -> dict[int, dict[str, int | None]]:
        return {y: {s: self.cleaned_data.get(f"{s}_{y}") for s in Source.values} for y in self.years}


class AllocationForm(_Form):
    source = forms.ChoiceField(label=_("Nguồn kinh phí"), choices=FundingLevel.choices)
    year = forms.TypedChoiceField(label=_("Năm ngân sách"), coerce=int)
    amount = _money(_("Kinh phí giao (đồng)"))
    decision_number = forms.CharField(label=_("Số quyết định phê duyệt, giao kinh phí"), max_length=100)
    decision_date = DmyDateField(label=_("Ngày quyết định"))

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "year", forms.ChoiceField).choices = [
            (y, str(y)) for y in range(project.start_year, project.end_year + 1)
        ]
        self.fields["source"].initial = project.funding_level
        self.fields["decision_number"].initial = project.decision_number
        self.fields["decision_date"].initial = project.decision_date


class AllocationAdjustForm(VersionMixin, _Form):
    amount = _money(_("Kinh phí giao sau điều chỉnh (đồng)"), min_value=0)
    decision_number = forms.CharField(label=_("Số quyết định điều chỉnh"), max_length=100)
    decision_date = DmyDateField(label=_("Ngày quyết định"))
    reason = forms.CharField(label=_("Lý do điều chỉnh"), widget=forms.Textarea(attrs={"rows": 2}))


class EntryForm(VersionMixin, _Form):
    amount = _money(_("Số tiền (đồng)"))
    voucher_number = forms.CharField(label=_("Số chứng từ"), max_length=100)
    voucher_date = DmyDateField(label=_("Ngày chứng từ"))
    document = forms.FileField(label=_("Chứng từ đính kèm (PDF, ảnh, Word)"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload:
            validate_upload(upload, DOCUMENT_KINDS)
        return upload


class ReverseForm(VersionMixin, _Form):
    voucher_number = forms.CharField(label=_("Số chứng từ điều chỉnh"), max_length=100)
    voucher_date = DmyDateField(label=_("Ngày chứng từ"))
    note = forms.CharField(label=_("Lý do đảo bút toán"), max_length=500)


class SettlementForm(_Form):
    year = forms.IntegerField(label=_("Năm ngân sách quyết toán"), min_value=2000, max_value=2100)
    decision_number = forms.CharField(label=_("Số quyết định/biên bản quyết toán"), max_length=100)
    decision_date = DmyDateField(label=_("Ngày quyết toán"))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = project.end_year
        for source, label in Source.choices:
            help_text = (
                _("Để trống nếu bằng số đã chi.")
                if source in ("kcqg", "kcdp")
                else _("Số thực chi của nguồn này.")
            )
            self.fields[f"actual_{source}"] = _money(
                _("Quyết toán %(source)s (đồng)") % {"source": label},
                required=False,
                min_value=0,
                help_text=help_text,
            )

    def actual(self) -> dict[str, int | None]:
        return {s: self.cleaned_data.get(f"actual_{s}") for s in Source.values}
