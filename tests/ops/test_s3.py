"""S3 storage (django-storages) against a local S3 server started here (moto in server mode): an
upload through the portal's form, a download only in scope, a generated report written and read back."""

from __future__ import annotations

import io
import socket
import subprocess
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.ops.helpers import BIN, stop, wait_for

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MOTO = BIN / "moto_server"

pytestmark = [pytest.mark.django_db]


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("w")
    proc = subprocess.Popen(
        [str(MOTO), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )

    def listening() -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    try:
        wait_for(listening, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)
        log.close()


@pytest.fixture
def s3(settings, s3_endpoint):
    """The default storage is S3 on the local server, configured as settings.py does from the env."""
    import boto3  # type: ignore[import-untyped]  # boto3 ships no type stubs (types-boto3 is not pinned)

    from khuyencong.settings import s3_options

    environ = {
        "AWS_STORAGE_BUCKET_NAME": f"kc-test-{uuid.uuid4().hex[:12]}",
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip
    client.create_bucket(Bucket=environ["AWS_STORAGE_BUCKET_NAME"])
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options(environ)},
    }
    return client, environ["AWS_STORAGE_BUCKET_NAME"]


@pytest.mark.skipif(not MOTO.exists(), reason="moto[server] not installed")
def test_documents_and_reports_live_in_s3_and_are_handed_out_only_in_scope(
    s3, client_for, province_a, staff_a, staff_b, manager_a
):
    from django.core.files.storage import storages
    from openpyxl import load_workbook

    from projects.models import ProjectDocument
    from reports.models import ReportRun, RunStatus
    from reports.services import report_run_execute
    from tests.factories import ProjectFactory

    client, bucket = s3
    assert type(storages["default"]).__name__ == "S3Storage"
    project: Any = ProjectFactory(province=province_a, status="draft", created_by=staff_a)
    web = client_for(staff_a)
    response = web.post(
        reverse("projects:document_upload", kwargs={"pk": project.pk}),
        {"document_type": "to_trinh", "title": "Tờ trình",
         "file": SimpleUploadedFile("to-trinh.pdf", PDF_BYTES, content_type="application/pdf")},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-1500:]
    document = ProjectDocument.objects.get()
    stored = client.get_object(Bucket=bucket, Key=document.file.name)
    assert stored["Body"].read() == PDF_BYTES
    # Private objects: the bucket hands nothing out without a signature.
    acl = client.get_object_acl(Bucket=bucket, Key=document.file.name)
    assert not any(g["Grantee"].get("URI", "").endswith("AllUsers") for g in acl["Grants"])

    url = reverse("projects:document_download", kwargs={"pk": document.pk})
    ok = web.get(url)
    assert ok.status_code == 200 and b"".join(ok.streaming_content) == PDF_BYTES
    assert client_for(staff_b).get(url).status_code == 404

    run = ReportRun.objects.create(
        kind="province_annual",
        parameters={"year_from": 2022, "year_to": 2026, "province": province_a.pk, "funding_level": ""},
        province=province_a,
        requested_by=manager_a,
        idempotency_key=uuid.uuid4().hex,
    )
    assert report_run_execute(run_pk=run.pk) == "done"
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert client.head_object(Bucket=bucket, Key=run.file.name)["ContentLength"] == run.file_size
    download = client_for(manager_a).get(reverse("reports:run_download", kwargs={"pk": run.pk}))
    assert download.status_code == 200
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert load_workbook(io.BytesIO(body), read_only=True).sheetnames
    assert client_for(staff_b).get(reverse("reports:run_download", kwargs={"pk": run.pk})).status_code == 404
