"""The history tab: pghistory's trigger-written events about a project, told in plain Vietnamese."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from pghistory.models import Events

from core.money import format_vnd
from regions.models import Commune

from .models import (
    ActivityCategory,
    Project,
    ProjectDocument,
    ProjectIndicator,
)

# Columns nobody needs to read about.
HIDDEN = {
    "id",
    "version",
    "updated_at",
    "created_at",
    "updated_by",
    "created_by",
    "pgh_obj",
    "project",
    "sha256",
    "file",
}
MONEY = {"total_cost"}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    at: datetime.datetime
    who: str
    what: str
    detail: str = ""
    changes: list[Change] = field(default_factory=list)
    icon: str = "pencil"


def _field_map(model: type[models.Model]) -> dict[str, models.Field]:
    result: dict[str, models.Field] = {}
    for f in model._meta.concrete_fields:
        result[f.name] = f
        result[f.attname] = f
    return result


def _display(model_field: models.Field | None, value: Any, lookups: dict[str, dict[Any, str]]) -> str:
    if value in (None, ""):
        return "—"
    if model_field is None:
        return str(value)
    if model_field.name in MONEY:
        return format_vnd(int(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("có") if value else _("không")
    if isinstance(model_field, models.ForeignKey):
        return lookups.get(model_field.related_model._meta.label, {}).get(value, f"#{value}")
    if isinstance(model_field, models.DateTimeField):
        parsed = parse_datetime(str(value))
        return parsed.strftime("%d/%m/%Y %H:%M") if parsed else str(value)
    if isinstance(model_field, models.DateField):
        day = parse_date(str(value))
        return day.strftime("%d/%m/%Y") if day else str(value)
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "…"


def project_history(project: Project, limit: int = 300) -> list[Entry]:
    """Every recorded change to the project and its beneficiaries, indicators and documents, newest first."""
    events = list(
        Events.objects.references(project)
        .across(
            "projects.ProjectEvent",
            "projects.ProjectBeneficiaryEvent",
            "projects.ProjectIndicatorEvent",
            "projects.ProjectDocumentEvent",
            "projects.ProjectCommuneEvent",
            "projects.ProjectCategoryEvent",
        )
        .order_by("-pgh_created_at", "-pgh_id")[:limit]
    )
    # Bulk-resolve the people and the rows the events name.
    user_ids: set[int] = set()
    category_ids: set[int] = set()
    facility_ids: set[int] = set()
    commune_ids: set[int] = set()
    for event in events:
        ctx = event.pgh_context or {}
        if ctx.get("user"):
            user_ids.add(int(ctx["user"]))
        data = event.pgh_data or {}
        for key in ("category_id", "category"):
            if data.get(key):
                category_ids.add(int(data[key]))
        if event.pgh_model == "projects.ProjectBeneficiaryEvent" and data.get("facility_id"):
            facility_ids.add(int(data["facility_id"]))
        if event.pgh_model == "projects.ProjectCommuneEvent" and data.get("commune_id"):
            commune_ids.add(int(data["commune_id"]))
        if event.pgh_model == "projects.ProjectCategoryEvent" and data.get("activitycategory_id"):
            category_ids.add(int(data["activitycategory_id"]))
        for key in ("category_id", "category"):
            for value in (event.pgh_diff or {}).get(key, []) or []:
                if value:
                    category_ids.add(int(value))
    User = get_user_model()
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids)}
    Facility = apps.get_model("beneficiaries", "Facility")
    lookups: dict[str, dict[Any, str]] = {
        ActivityCategory._meta.label: {
            c.pk: str(c) for c in ActivityCategory.objects.filter(pk__in=category_ids)
        },
        User._meta.label: users,
    }
    facilities = {f.pk: f.name for f in Facility.objects.filter(pk__in=facility_ids)}
    communes = {c.pk: c.name for c in Commune.objects.filter(pk__in=commune_ids)}
    categories = lookups[ActivityCategory._meta.label]

    entries = []
    for event in events:
        ctx = event.pgh_context or {}
        who = users.get(int(ctx["user"])) if ctx.get("user") else None
        who = who or _("Hệ thống (ngoài giao diện)")
        data = event.pgh_data or {}
        kind = event.pgh_label  # insert / update / delete
        at = event.pgh_created_at
        if event.pgh_model == "projects.ProjectEvent":
            fmap = _field_map(Project)
            if ctx.get("action") == "history_import":
                # Provenance of the history import: batch, file and its SHA-256 (issue 10).
                detail = _("lần nhập số %(batch)s, tệp “%(file)s”, SHA-256 %(sha)s") % {
                    "batch": ctx.get("import_batch", "?"),
                    "file": ctx.get("file_name", ""),
                    "sha": ctx.get("sha256", ""),
                }
                what = _("Nhập từ dữ liệu cũ") if kind == "insert" else _("Cập nhật từ dữ liệu cũ")
                entries.append(Entry(at, who, what, detail, icon="archive"))
                continue
            if kind == "insert":
                entries.append(Entry(at, who, _("Tạo đề án"), data.get("title", ""), icon="plus-circle"))
                continue
            if kind == "delete":
                entries.append(Entry(at, who, _("Xóa đề án"), icon="trash"))
                continue
            changes = [
                Change(
                    str(fmap[name].verbose_name).capitalize() if name in fmap else name,
                    _display(fmap.get(name), pair[0], lookups),
                    _display(fmap.get(name), pair[1], lookups),
                )
                for name, pair in (event.pgh_diff or {}).items()
                if name not in HIDDEN and name.removesuffix("_id") not in HIDDEN
            ]
            if not changes:
                continue
            status_change = (event.pgh_diff or {}).get("status")
            what = _("Chuyển trạng thái") if status_change else _("Cập nhật đề án")
            entries.append(
                Entry(at, who, what, changes=changes, icon="arrow-left-right" if status_change else "pencil")
            )
        elif event.pgh_model == "projects.ProjectBeneficiaryEvent":
            name = facilities.get(data.get("facility_id") or 0, f"#{data.get('facility_id')}")
            what = {
                "insert": _("Thêm cơ sở thụ hưởng"),
                "delete": _("Bỏ cơ sở thụ hưởng"),
            }.get(kind, _("Sửa cơ sở thụ hưởng"))
            entries.append(Entry(at, who, what, name, icon="buildings"))
        elif event.pgh_model == "projects.ProjectIndicatorEvent":
            fmap = _field_map(ProjectIndicator)
            label = _display(fmap["kind"], data.get("kind"), lookups)
            if kind == "insert":
                entries.append(
                    Entry(at, who, _("Thêm chỉ tiêu"), f"{label}: {data.get('planned')}", icon="bullseye")
                )
            elif kind == "delete":
                entries.append(Entry(at, who, _("Bỏ chỉ tiêu"), label, icon="bullseye"))
            else:
                changes = [
                    Change(
                        str(fmap[n].verbose_name).capitalize(),
                        _display(fmap[n], p[0], lookups),
                        _display(fmap[n], p[1], lookups),
                    )
                    for n, p in (event.pgh_diff or {}).items()
                    if n in ("planned", "actual")
                ]
                if changes:
                    entries.append(
                        Entry(at, who, _("Cập nhật chỉ tiêu"), label, changes=changes, icon="bullseye")
                    )
        elif event.pgh_model == "projects.ProjectCommuneEvent":
            name = communes.get(data.get("commune_id") or 0, f"#{data.get('commune_id')}")
            what = _("Thêm địa bàn") if kind == "add" else _("Bỏ địa bàn")
            entries.append(Entry(at, who, what, name, icon="geo-alt"))
        elif event.pgh_model == "projects.ProjectCategoryEvent":
            name = categories.get(data.get("activitycategory_id"), f"#{data.get('activitycategory_id')}")
            what = _("Thêm nội dung kết hợp") if kind == "add" else _("Bỏ nội dung kết hợp")
            entries.append(Entry(at, who, what, name, icon="diagram-3"))
        elif event.pgh_model == "projects.ProjectDocumentEvent":
            fmap = _field_map(ProjectDocument)
            doc_type = _display(fmap["document_type"], data.get("document_type"), lookups)
            what = {"insert": _("Tải lên tài liệu"), "delete": _("Xóa tài liệu")}.get(kind, _("Sửa tài liệu"))
            entries.append(Entry(at, who, what, f"{doc_type}: {data.get('title', '')}", icon="paperclip"))
    # Rows written in one transaction share a timestamp: show the project's creation below them.
    entries.sort(key=lambda e: (e.at, e.icon != "plus-circle"), reverse=True)
    return entries
