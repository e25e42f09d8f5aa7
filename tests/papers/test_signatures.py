"""Signed PDFs: a certificate and a signature made in the test, checked with pyHanko on upload."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from papers.models import DocumentSignature, SignatureStatus
from papers.signatures import check_pdf
from projects.services import document_upload
from tests.factories import money_project

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def signer(tmp_path_factory):
    """A self-signed certificate for “Nguyễn Văn Hùng, Sở Công Thương Phú Thọ” and pyHanko's signer."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.sign import signers

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sở Công Thương Phú Thọ"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Nguyễn Văn Hùng"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("pki")
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return signers.SimpleSigner.load(str(folder / "key.pem"), str(folder / "cert.pem"))


def plain_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>Quyết định phê duyệt đề án</h1><p>Số 1947/QĐ-UBND</p>").write_pdf()


def sign(data: bytes, signer) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    out = io.BytesIO()
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="ChuKy"), signer=signer, output=out)
    return out.getvalue()


def modify(data: bytes) -> bytes:
    """An incremental update after signing (what an edit in a PDF tool leaves)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Annots"] = generic.ArrayObject(
        [
            writer.add_object(
                generic.DictionaryObject(
                    {
                        generic.NameObject("/Type"): generic.NameObject("/Annot"),
                        generic.NameObject("/Subtype"): generic.NameObject("/Square"),
                        generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(0)] * 4),
                    }
                )
            )
        ]
    )
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_signed_decision_shows_signer_time_and_integrity(world, signer, settings, tmp_path, client_for):
    settings.MEDIA_ROOT = tmp_path
    project = money_project(world.province_a, status="approved")
    signed = sign(plain_pdf(), signer)
    document = document_upload(
        user=world.manager_a,
        project=project,
        document_type="quyet_dinh",
        title="Quyết định ký số",
        upload=SimpleUploadedFile("qd-ky-so.pdf", signed, "application/pdf"),
    )
    sig = DocumentSignature.objects.get(document=document)
    assert sig.status == SignatureStatus.VALID
    assert "Nguyễn Văn Hùng" in sig.signer
    assert sig.signed_at is not None and abs(sig.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(
        minutes=5
    )
    assert not sig.modified_after_signing and not sig.trusted  # self-signed: intact but not on a trust list
    html = client_for(world.staff_a).get(f"/de-an/{project.pk}/?tab=documents").content.decode()
    assert "Chữ ký số toàn vẹn" in html and "Nguyễn Văn Hùng" in html and "Không thay đổi sau khi ký" in html


def test_changed_after_signing_is_shown(signer):
    result = check_pdf(modify(sign(plain_pdf(), signer)))
    assert result.status in (SignatureStatus.MODIFIED, SignatureStatus.INVALID)
    assert result.modified_after_signing or result.status == SignatureStatus.INVALID


def test_tampered_bytes_break_the_signature(signer):
    signed = bytearray(sign(plain_pdf(), signer))
    at = signed.find(b"1947")
    signed[at : at + 4] = b"1948"
    assert check_pdf(bytes(signed)).status in (SignatureStatus.INVALID, SignatureStatus.BROKEN)


def test_unsigned_and_broken_never_block_the_upload(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = money_project(world.province_a, status="approved")
    plain = document_upload(
        user=world.manager_a,
        project=project,
        document_type="quyet_dinh",
        title="Không ký",
        upload=SimpleUploadedFile("qd.pdf", plain_pdf(), "application/pdf"),
    )
    broken = document_upload(
        user=world.manager_a,
        project=project,
        document_type="quyet_dinh",
        title="Hỏng",
        upload=SimpleUploadedFile(
            "hong.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
        ),
    )
    assert plain.signature.status == SignatureStatus.UNSIGNED
    assert broken.signature.status in (SignatureStatus.BROKEN, SignatureStatus.UNSIGNED)
