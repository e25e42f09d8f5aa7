"""Fill a .docx template (docxtpl), check a template's placeholders, convert to PDF (LibreOffice)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import IO, Any

from .context import PLACEHOLDERS

SHIPPED = Path(__file__).resolve().parent / "docx"


def shipped_template(kind: str) -> Path:
    return SHIPPED / f"{kind}.docx"


def template_for(project: Any, kind: str) -> IO[bytes]:
    """The province's own template for ``kind`` if it has one, else the shipped one."""
    from .models import PaperTemplate

    own = PaperTemplate.objects.filter(province_id=project.province_id, kind=kind).first()
    if own is not None:
        return own.file.open("rb")
    return shipped_template(kind).open("rb")


class TemplateProblem(ValueError):
    """The template cannot be used: unreadable, broken Jinja syntax, or unknown placeholders."""


def check_template(source: IO[bytes]) -> set[str]:
    """The placeholders the template uses; :class:`TemplateProblem` names any the portal does not fill."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError

    try:
        template = DocxTemplate(source)
        used = set(template.get_undeclared_template_variables())
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"Lỗi cú pháp mẫu: {exc.message}") from exc
    except Exception as exc:  # not a .docx (zip/XML errors)
        raise TemplateProblem("Tệp không phải văn bản Word .docx hợp lệ.") from exc
    unknown = used - set(PLACEHOLDERS)
    if unknown:
        raise TemplateProblem("Mẫu có trường không xác định: " + ", ".join(sorted(unknown)))
    return used


def render_docx(source: IO[bytes], context: dict[str, Any]) -> bytes:
    """The template filled with ``context``; the result stays an editable Word file."""
    from docxtpl import DocxTemplate

    template = DocxTemplate(source)
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, *, timeout: int = 180) -> bytes:
    """Convert with LibreOffice headless, in a private profile (parallel conversions never collide)."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed.")
    with tempfile.TemporaryDirectory(prefix="kc-paper-") as tmp:
        source = Path(tmp) / "van-ban.docx"
        source.write_bytes(data)
        profile = Path(tmp) / f"profile-{uuid.uuid4().hex}"
        subprocess.run(
            [
                binary,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
            env={**os.environ, "HOME": tmp},
        )
        return (Path(tmp) / "van-ban.pdf").read_bytes()
