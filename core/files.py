"""Checks for uploaded files: size, and type judged by content (magic bytes), never by name alone."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    extensions: tuple[str, ...]


PDF = FileKind("pdf", "PDF", (".pdf",))
PNG = FileKind("png", "PNG", (".png",))
JPEG = FileKind("jpeg", "JPEG", (".jpg", ".jpeg"))
XLSX = FileKind("xlsx", "Excel (.xlsx)", (".xlsx",))
DOCX = FileKind("docx", "Word (.docx)", (".docx",))
OLE = FileKind("ole", "Word/Excel 97-2003 (.doc, .xls)", (".doc", ".xls"))
CSV = FileKind("csv", "CSV", (".csv", ".txt"))

DOCUMENT_KINDS = (PDF, PNG, JPEG, DOCX, XLSX, OLE)
SPREADSHEET_KINDS = (XLSX, CSV)

_EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xce", b"#!")


def sniff(head: bytes, stream: IO[bytes] | None = None) -> str | None:
    """The kind key for content starting with ``head`` (``stream`` lets zip files be looked into)."""
    if head.startswith(b"%PDF-"):
        return PDF.key
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG.key
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG.key
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE.key
    if head.startswith(b"PK\x03\x04") and stream is not None:
        try:
            stream.seek(0)
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            stream.seek(0)
        if "xl/workbook.xml" in names:
            return XLSX.key
        if "word/document.xml" in names:
            return DOCX.key
        return None
    if any(head.startswith(sig) for sig in _EXECUTABLE_SIGNATURES):
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_text(head):
        return CSV.key  # UTF-16 text ("Unicode text" from Excel); its reader checks the content
    if head and not any(b < 0x20 and b not in (0x09, 0x0A, 0x0D) for b in head):
        # Text in some encoding (UTF-8, or a Windows code page): which one is the CSV reader's call,
        # so an unreadable encoding answers "không đọc được bảng mã", not "wrong file type".
        return CSV.key
    return None


def _utf16_text(head: bytes) -> bool:
    """UTF-16 without a byte-order mark: every other byte NUL, the rest text."""
    if len(head) < 8:
        return False
    for zeros, text in ((head[1::2], head[0::2]), (head[0::2], head[1::2])):
        if zeros.count(0) >= len(zeros) * 0.4 and text[: len(zeros) - 1].count(0) <= len(zeros) * 0.05:
            return True
    return False


def validate_upload(
    upload: UploadedFile, kinds: tuple[FileKind, ...], max_bytes: int | None = None
) -> FileKind:
    """Raise ValidationError (Vietnamese) unless the upload is small enough and of an allowed kind."""
    limit = max_bytes or settings.KC_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s MB). Dung lượng tối đa là %(limit)s MB.")
            % {"size": f"{upload.size / 1048576:.1f}".replace(".", ","), "limit": limit // 1048576},
            code="file_too_large",
        )
    if not upload.size:
        raise ValidationError(_("Tệp rỗng."), code="empty_file")
    upload.seek(0)
    head = upload.read(2048)
    key = sniff(head, upload.file if hasattr(upload, "file") else upload)
    upload.seek(0)
    allowed = {k.key: k for k in kinds}
    name = (upload.name or "").lower()
    if key not in allowed:
        raise ValidationError(
            _("Nội dung tệp không phải loại được chấp nhận (%(kinds)s). Tệp bị từ chối.")
            % {"kinds": ", ".join(k.label for k in kinds)},
            code="file_type",
        )
    kind = allowed[key]
    if not name.endswith(kind.extensions):
        raise ValidationError(
            _("Phần mở rộng của tên tệp không khớp với nội dung (%(label)s).") % {"label": kind.label},
            code="file_extension",
        )
    return kind


def sha256_of(upload: IO[bytes]) -> str:
    """SHA-256 of a file's content, reading it in chunks."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
