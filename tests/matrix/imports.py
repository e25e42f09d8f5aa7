"""History import URLs × roles. Sample objects: world.history_import_a (a checked workbook of province A)
and world.imported_project_a (a project it brought in)."""

from __future__ import annotations

from typing import Any

from tests.matrix import READ_ALL, STAFF_CHANGE_A, STAFF_ONLY, Case

WRITE_A = {"staff_a": 302, "manager_a": 403, "staff_b": 404, "national_manager": 403, "admin": 302}


def setup(world: Any) -> None:
    from django.core.files.base import ContentFile

    from imports.models import ImportedProject, ImportStatus, ProjectImport
    from tests.factories import ProjectFactory

    batch = ProjectImport(
        province=world.province_a,
        file_name="lich-su.xlsx",
        sha256="0" * 64,
        status=ImportStatus.CHECKED,
        created_by=world.staff_a,
    )
    batch.file.save("matrix.xlsx", ContentFile(b"PK"), save=False)
    batch.save()
    world.history_import_a = batch
    project = ProjectFactory.create(
        code="HB-2021-MATRIX", province=world.province_a, created_by=world.staff_a, updated_by=world.staff_a
    )
    world.imported_project_a = ImportedProject.objects.create(
        project=project, first_batch=batch, batch=batch, flagged=True, breaches=[{"message": "vượt mức"}]
    )


CASES = [
    Case("imports:project_import", STAFF_ONLY),
    Case("imports:template", STAFF_ONLY),
    Case("imports:import_detail", STAFF_CHANGE_A, kwargs=lambda w: {"pk": w.history_import_a.pk}),
    Case("imports:import_progress", STAFF_CHANGE_A, kwargs=lambda w: {"pk": w.history_import_a.pk}),
    Case("imports:import_commit", WRITE_A, kwargs=lambda w: {"pk": w.history_import_a.pk}, method="post"),
    Case("imports:imported_list", READ_ALL),
    Case("imports:imported_list", READ_ALL, query="flagged=1", id="imported-flagged"),
]
