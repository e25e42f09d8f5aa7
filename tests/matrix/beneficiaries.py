"""Facility register URLs × roles. Sample objects: world.facility_a (Phú Thọ), world.facility_b (Hà Nội),
world.import_a (a checked import of province A)."""

from __future__ import annotations

from typing import Any

from tests.matrix import READ_A, READ_ALL, STAFF_CHANGE_A, STAFF_ONLY, Case

WRITE_A = {"staff_a": 302, "manager_a": 403, "staff_b": 404, "national_manager": 403, "admin": 302}


def setup(world: Any) -> None:
    from django.core.files.base import ContentFile

    from beneficiaries.importing import template_csv_rows
    from beneficiaries.models import ImportBatch, ImportStatus
    from tests.beneficiaries.factories import FacilityFactory

    world.facility_a = FacilityFactory.create(
        name="Hợp tác xã Mây tre đan Hòa Bình", province=world.province_a
    )
    world.facility_b = FacilityFactory.create(
        name="Công ty TNHH Gốm Bát Tràng", province=world.province_b, kind="dnnvv"
    )
    header, _example = template_csv_rows()
    batch = ImportBatch(
        province=world.province_a,
        file_name="mau.csv",
        sha256="0" * 64,
        status=ImportStatus.CHECKED,
        created_by=world.staff_a,
    )
    batch.file.save("matrix.csv", ContentFile((",".join(header) + "\n").encode()), save=False)
    batch.save()
    world.import_a = batch


def _update_data(w: Any) -> dict[str, Any]:
    f = w.facility_a
    return {
        "name": f.name,
        "kind": f.kind,
        "tax_code": f.tax_code,
        "province": f.province_id,
        "commune": f.commune_id,
        "workers_total": 30,
        "workers_female": 10,
        "workers_ethnic_minority": 0,
        "status": "active",
    }


CASES = [
    Case("beneficiaries:facility_list", READ_ALL),
    Case(
        "beneficiaries:facility_list", READ_ALL, query="q=hoa+binh&kind=htx&eligible=yes", id="list-filtered"
    ),
    Case("beneficiaries:facility_search", READ_ALL, query="q=may+tre"),
    Case("beneficiaries:facility_export", READ_ALL, query="format=csv"),
    Case("beneficiaries:facility_export", READ_ALL, query="format=xlsx", id="export-xlsx"),
    Case("beneficiaries:facility_export", STAFF_ONLY, query="format=csv&full=1", id="export-full"),
    Case("beneficiaries:facility_detail", READ_A, kwargs=lambda w: {"pk": w.facility_a.pk}),
    Case(
        "beneficiaries:facility_reveal",
        STAFF_CHANGE_A,
        kwargs=lambda w: {"pk": w.facility_a.pk},
        method="post",
    ),
    Case("beneficiaries:facility_create", STAFF_ONLY),
    Case("beneficiaries:facility_update", STAFF_CHANGE_A, kwargs=lambda w: {"pk": w.facility_a.pk}),
    Case(
        "beneficiaries:facility_update",
        WRITE_A,
        kwargs=lambda w: {"pk": w.facility_a.pk},
        method="post",
        data=_update_data,
    ),
    Case("beneficiaries:facility_import", STAFF_ONLY),
    Case("beneficiaries:import_template", STAFF_ONLY),
    Case("beneficiaries:import_template", STAFF_ONLY, query="format=csv", id="template-csv"),
    Case("beneficiaries:import_detail", STAFF_CHANGE_A, kwargs=lambda w: {"pk": w.import_a.pk}),
    Case(
        "beneficiaries:import_commit",
        WRITE_A,
        kwargs=lambda w: {"pk": w.import_a.pk},
        method="post",
    ),
    Case(
        "beneficiaries:import_choose",
        WRITE_A,
        kwargs=lambda w: {"pk": w.import_a.pk},
        method="post",
        data=lambda w: {"row-2": "4960"},
    ),
]
