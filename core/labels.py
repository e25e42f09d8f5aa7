"""Vietnamese names for models that cannot carry them in their own ``Meta`` (issue 15).

django-pghistory's models and the event models it generates for every tracked model, and the
dashboard's summary tables, showed in the admin as "PGHISTORY Events", "project facts", "facility
events". Their names are set here at start-up, on ``_meta`` only: ``Meta.original_attrs`` (what
migrations read) is untouched, so no migration follows, neither in pghistory's app nor in ours.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.options import Options
    from django_stubs_ext import StrOrPromise

#: The event tables' own columns (pghistory's names).
EVENT_FIELDS = {
    "pgh_id": _("mã sự kiện"),
    "pgh_created_at": _("thời điểm"),
    "pgh_label": _("sự kiện"),
    "pgh_obj": _("bản ghi"),
    "pgh_context": _("ngữ cảnh"),
    "pgh_context_id": _("mã ngữ cảnh"),
    "pgh_data": _("dữ liệu"),
    "pgh_diff": _("thay đổi"),
    "pgh_model": _("bảng sự kiện"),
    "pgh_slug": _("mã"),
    "pgh_obj_model": _("bảng dữ liệu"),
    "pgh_obj_id": _("mã bản ghi"),
    "metadata": _("thông tin kèm theo"),
    "created_at": _("tạo lúc"),
    "updated_at": _("cập nhật lúc"),
    "user": _("người dùng"),
}

NAMES = {
    "pghistory.context": (_("ngữ cảnh thay đổi"), _("Ngữ cảnh thay đổi")),
    "pghistory.events": (_("sự kiện thay đổi"), _("Lịch sử thay đổi")),
    "pghistory.middlewareevents": (_("sự kiện theo yêu cầu"), _("Lịch sử thay đổi theo yêu cầu")),
    "reports.projectfact": (_("dòng tổng hợp đề án"), _("Bảng tổng hợp đề án")),
    "reports.moneyfact": (_("dòng tổng hợp kinh phí"), _("Bảng tổng hợp kinh phí")),
    "reports.facilityfact": (_("dòng tổng hợp cơ sở"), _("Bảng tổng hợp cơ sở")),
}


def _set(meta: Options[Any], singular: StrOrPromise, plural: StrOrPromise) -> None:
    meta.verbose_name = singular
    meta.verbose_name_plural = plural


def relabel() -> None:
    """Give the models above, and every pghistory event model, Vietnamese names."""
    from pghistory.models import Event

    with contextlib.suppress(LookupError):
        apps.get_app_config("pghistory").verbose_name = _("Lịch sử thay đổi")
    for model in apps.get_models():
        meta = model._meta
        key = meta.label_lower
        if key in NAMES:
            _set(meta, *NAMES[key])
        elif issubclass(model, Event) and (tracked_model := getattr(model, "pgh_tracked_model", None)):
            tracked = tracked_model._meta.verbose_name
            _set(meta, format_lazy(_("lịch sử: {}"), tracked), format_lazy(_("Lịch sử: {}"), tracked))
        else:
            continue
        for field in meta.get_fields():
            if field.name in EVENT_FIELDS and hasattr(field, "verbose_name"):
                field.verbose_name = EVENT_FIELDS[field.name]
