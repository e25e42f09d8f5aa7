"""Papers in Decree 30 form: filled .docx, checked templates, LibreOffice PDF, signatures."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from docx import Document

from core.errors import Conflict, DomainError, NotFound
from papers import services
from papers.context import decree_date
from papers.models import PaperKind, PaperTemplate
from papers.rendering import SHIPPED, check_template, docx_to_pdf, soffice
from tests.factories import money_project

pytestmark = pytest.mark.django_db


def decided(world, **kwargs):
    kwargs.setdefault("total_cost", 6_610_000_000)
    return money_project(
        world.province_a,
        status="approved",
        title="Hỗ trợ máy sấy chè cho hợp tác xã Đồng Xuân",
        decision_number="1947/QĐ-UBND",
        decision_date=dt.date(2026, 3, 2),
        decision_signer="Nguyễn Văn Hùng",
        **kwargs,
    )


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_decree_dates():
    assert decree_date("Phú Thọ", dt.date(2026, 2, 5)) == "Phú Thọ, ngày 05 tháng 02 năm 2026"
    assert decree_date("Phú Thọ", dt.date(2026, 3, 2)) == "Phú Thọ, ngày 02 tháng 3 năm 2026"
    assert decree_date("Hà Nội", dt.date(2026, 11, 21)) == "Hà Nội, ngày 21 tháng 11 năm 2026"


def test_decision_docx_has_the_decree_30_parts(world):
    data = services.paper_docx(user=world.staff_a, project=decided(world), kind=PaperKind.DECISION)
    text = text_of(data)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH PHÚ THỌ",
        "Số: 1947/QĐ-UBND",
        "Phú Thọ, ngày 02 tháng 3 năm 2026",
        "QUYẾT ĐỊNH",
        "Hỗ trợ máy sấy chè cho hợp tác xã Đồng Xuân",
        "6.610.000.000 đồng (Bằng chữ: Sáu tỷ sáu trăm mười triệu đồng)",
        "Nguyễn Văn Hùng",
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    size = [round(x.mm) for x in (section.page_width, section.page_height) if x is not None]
    margins = [
        round(x.mm)
        for x in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
        if x is not None
    ]
    assert size == [210, 297] and margins == [20, 20, 30, 15]
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14


@pytest.mark.parametrize("kind", PaperKind.values)
def test_every_shipped_template_uses_known_placeholders_only(kind):
    with (SHIPPED / f"{kind}.docx").open("rb") as f:
        assert check_template(f)


def test_each_paper_fills_without_leftovers(world):
    project = decided(world)
    project.status = "settled"  # every paper is available once settled
    for kind in PaperKind.values:
        text = text_of(services.paper_docx(user=world.staff_a, project=project, kind=kind))
        assert "{{" not in text and "Độc lập - Tự do - Hạnh phúc" in text, kind


def test_papers_follow_the_lifecycle_and_scope(world):
    project = decided(world)
    assert services.available_papers(project) == [PaperKind.DECISION, PaperKind.CONTRACT]
    with pytest.raises(Conflict):
        services.paper_docx(user=world.staff_a, project=project, kind=PaperKind.SETTLEMENT)
    with pytest.raises(NotFound):
        services.paper_docx(user=world.staff_b, project=project, kind=PaperKind.DECISION)


def _template_with(text: str) -> io.BytesIO:
    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    out.seek(0)
    return out


def test_an_uploaded_template_is_checked_before_it_is_accepted(world):
    good = _template_with("Đề án {{ ten_de_an }}: {{ kinh_phi_bang_chu }}")
    unknown = _template_with("Kính gửi {{ ten_giam_doc }} về {{ ten_de_an }}")
    broken = _template_with("{{ ten_de_an ")
    with pytest.raises(DomainError, match="ten_giam_doc"):
        services.template_replace(
            user=world.admin, province=world.province_a, kind="quyet_dinh", upload=unknown
        )
    with pytest.raises(DomainError, match="cú pháp"):
        services.template_replace(
            user=world.admin, province=world.province_a, kind="quyet_dinh", upload=broken
        )
    with pytest.raises(DomainError, match="Word"):
        services.template_replace(
            user=world.admin, province=world.province_a, kind="quyet_dinh", upload=io.BytesIO(b"not a zip")
        )
    assert not PaperTemplate.objects.exists()
    upload = SimpleUploadedFile("mau.docx", good.getvalue())
    services.template_replace(user=world.admin, province=world.province_a, kind="quyet_dinh", upload=upload)
    text = text_of(services.paper_docx(user=world.staff_a, project=decided(world), kind="quyet_dinh"))
    assert (
        text.strip() == "Đề án Hỗ trợ máy sấy chè cho hợp tác xã Đồng Xuân: Sáu tỷ sáu trăm mười triệu đồng"
    )


def test_admin_form_refuses_unknown_placeholders(world):
    from papers.admin import PaperTemplateForm

    form = PaperTemplateForm(
        data={"province": world.province_a.pk, "kind": "hop_dong"},
        files=MultiValueDict({"file": [SimpleUploadedFile("m.docx", _template_with("{{ la }}").getvalue())]}),
    )
    assert not form.is_valid() and "la" in str(form.errors["file"])


def test_docx_download_and_pdf_request_pages(world, client_for, monkeypatch):
    from papers import tasks

    queued = []
    monkeypatch.setattr(tasks.render_pdf, "delay", lambda pk: queued.append(pk))
    project = decided(world)
    client = client_for(world.staff_a)
    response = client.get(reverse("papers:docx", args=[project.pk, "quyet_dinh"]))
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client.get(reverse("papers:docx", args=[project.pk, "quyet_toan"])).status_code == 409
    assert client.get(reverse("papers:docx", args=[project.pk, "nonsense"])).status_code == 404
    assert (
        client_for(world.staff_b).get(reverse("papers:docx", args=[project.pk, "quyet_dinh"])).status_code
        == 404
    )
    html = (
        client_for(world.staff_a).get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    )
    assert 'data-kc-paper="quyet_dinh"' in html and 'data-kc-paper="hop_dong"' in html


needs_soffice = pytest.mark.skipif(
    soffice() is None and not os.environ.get("CI"), reason="LibreOffice is not installed (CI installs it)"
)


@needs_soffice
def test_libreoffice_renders_the_decision_with_diacritics(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = decided(world)
    paper = services.paper_generate(user=world.staff_a, project=project, kind=PaperKind.DECISION)
    assert services.paper_render_pdf(paper_pk=paper.pk) == "done"
    paper.refresh_from_db()
    pdf = tmp_path / "decision.pdf"
    pdf.write_bytes(paper.pdf.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert "1947/QĐ-UBND" in flat
    assert "Phú Thọ, ngày 02 tháng 3 năm 2026" in flat
    assert "Sáu tỷ sáu trăm mười triệu đồng" in flat
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat and "Độc lập - Tự do - Hạnh phúc" in flat
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert "595.3" in info and "841.8" in info  # A4 in points


@needs_soffice
def test_conversion_failure_is_kept_on_the_row(world, settings, tmp_path, monkeypatch):
    from papers import rendering

    settings.MEDIA_ROOT = tmp_path
    paper = services.paper_generate(user=world.staff_a, project=decided(world), kind=PaperKind.CONTRACT)
    monkeypatch.setattr(
        services, "docx_to_pdf", lambda data: (_ for _ in ()).throw(RuntimeError("soffice chết"))
    )
    with pytest.raises(RuntimeError):
        services.paper_render_pdf(paper_pk=paper.pk)
    paper.refresh_from_db()
    assert paper.status == "failed" and "soffice chết" in paper.error
    assert rendering.docx_to_pdf.__module__ == "papers.rendering"  # the real function is untouched


def test_soffice_missing_outside_ci_is_said_plainly(monkeypatch):
    from papers import rendering

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="LibreOffice"):
        docx_to_pdf(b"PK")
    assert rendering.soffice() is None
