"""Dashboard and reports: managers see the dashboard; everyone reads reports in scope; managers request."""

import uuid

from django.core.files.base import ContentFile

from tests.matrix import MANAGER_ONLY, READ_A, READ_ALL, Case

REQUESTED = {"staff_a": 403, "manager_a": 302, "staff_b": 403, "national_manager": 302, "admin": 302}
# manager_b is not in the matrix; staff_b of province B gets 403 before the scope check.


def setup(world):
    from reports.models import ReportRun, RunStatus

    run = ReportRun.objects.create(
        kind="funding_by_source",
        parameters={"year_from": 2022, "year_to": 2026, "province": world.province_a.pk, "funding_level": ""},
        province=world.province_a,
        requested_by=world.manager_a,
        idempotency_key=f"matrix:{uuid.uuid4().hex}",
        file_name="kinh-phi.xlsx",
    )
    run.file.save(f"matrix-{run.pk}.xlsx", ContentFile(b"PK\x03\x04 matrix"), save=False)
    run.status, run.progress = RunStatus.DONE, 100
    run.save()
    world.report_run_a = run


def _request_data(w):
    return {
        "year_from": 2022,
        "year_to": 2026,
        "province": w.province_a.pk,
        "funding_level": "",
        "request_key": uuid.uuid4().hex,
    }


CASES = [
    Case("reports:dashboard", MANAGER_ONLY),
    Case("reports:dashboard_export", MANAGER_ONLY),
    Case("reports:catalogue", READ_ALL),
    Case("reports:run_create", MANAGER_ONLY, kwargs=lambda w: {"kind": "funding_by_source"}),
    Case(
        "reports:run_create",
        REQUESTED,
        kwargs=lambda w: {"kind": "funding_by_source"},
        method="post",
        data=_request_data,
    ),
    Case("reports:run_detail", READ_A, kwargs=lambda w: {"pk": w.report_run_a.pk}),
    Case("reports:run_progress", READ_A, kwargs=lambda w: {"pk": w.report_run_a.pk}),
    Case("reports:run_download", READ_A, kwargs=lambda w: {"pk": w.report_run_a.pk}),
]
