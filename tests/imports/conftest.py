"""Fixtures of the history import tests: a media folder, former Hòa Bình communes, a facility, and a
helper that runs upload → dry run → commit through the services as the Celery tasks do."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


def hoa_binh_communes(n: int = 5) -> list[Any]:
    """Former communes of Hòa Bình with one successor and a name unique in the former province."""
    from django.db.models import Count

    from regions.models import LegacyCommune

    rows = list(
        LegacyCommune.objects.filter(legacy_district__legacy_province__name__icontains="Hòa Bình")
        .annotate(n=Count("successors"))
        .filter(n=1)
        .select_related("legacy_district__legacy_province")
        .order_by("code")
    )
    if not rows:  # the map's spelling "Hoà Bình"
        rows = list(
            LegacyCommune.objects.filter(legacy_district__legacy_province__name__icontains="Hoà Bình")
            .annotate(n=Count("successors"))
            .filter(n=1)
            .select_related("legacy_district__legacy_province")
            .order_by("code")
        )
    names: dict[str, int] = {}
    for r in LegacyCommune.objects.filter(
        legacy_district__legacy_province=rows[0].legacy_district.legacy_province
    ):
        names[r.name] = names.get(r.name, 0) + 1
    return [r for r in rows if names[r.name] == 1][:n]


@pytest.fixture
def hb(db):
    communes = hoa_binh_communes()
    return SimpleNamespace(communes=communes, province=communes[0].legacy_district.legacy_province)


def run_import(
    user: Any,
    content: bytes,
    *,
    province_id: int | None = None,
    commit: bool = True,
    name: str = "lich-su.xlsx",
) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.files import sha256_of
    from imports import services
    from imports.models import ProjectImport

    upload = SimpleUploadedFile(name, content)
    batch = services.import_upload(
        user=user,
        upload=upload,
        province_id=province_id or user.organisation.province_id,
        sha256=sha256_of(upload),
    )
    services.import_check_execute(batch_pk=batch.pk)
    batch = ProjectImport.objects.get(pk=batch.pk)
    if commit and batch.status == "checked":
        services.import_commit_request(user=user, batch=batch)
        services.import_commit_execute(batch_pk=batch.pk)
        batch = ProjectImport.objects.get(pk=batch.pk)
    return batch


def problems(batch: Any) -> list[tuple[str, int, str, str]]:
    return [(e["sheet"], e["row"], e["column"], e["message"]) for e in batch.errors if not e.get("warning")]
