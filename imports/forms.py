"""The upload form of the history import: one .xlsx workbook, checked by content and size."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.files import XLSX, validate_upload
from core.forms import field_of
from core.scoping import fixed_province_id, sees_many_provinces
from regions.models import Province


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) theo mẫu"),
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
        validate_upload(upload, (XLSX,))
        return upload

    def chosen_province_id(self) -> int | None:
        if "province" in self.fields:
            return self.cleaned_data["province"].pk
        return fixed_province_id(self.user)
