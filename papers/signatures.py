"""Digital signatures of uploaded PDFs (Decree 30 Art. 33, Decree 68/2024), checked with pyHanko.

The check never blocks an upload: an unsigned file, a broken file or a bad signature is recorded and
shown as such. The signer's certificate is checked for integrity, not against a national trust list
(the portal holds none): ``trusted`` says whether it chained to a trust root the portal was given.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .models import DocumentSignature, SignatureStatus

logger = logging.getLogger(__name__)


@dataclass
class SignatureCheck:
    status: str
    signer: str = ""
    signed_at: datetime | None = None
    modified_after_signing: bool = False
    trusted: bool = False
    detail: str = ""


def check_pdf(data: bytes) -> SignatureCheck:
    """What the PDF's last signature says: who, when, intact, and whether the file changed since."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:
        return SignatureCheck(SignatureStatus.BROKEN, detail=f"{type(exc).__name__}: {exc}"[:500])
    if not signatures:
        return SignatureCheck(SignatureStatus.UNSIGNED)
    embedded = signatures[-1]
    try:
        status = validate_pdf_signature(embedded, ValidationContext(allow_fetching=False))
    except Exception as exc:
        return SignatureCheck(SignatureStatus.INVALID, detail=f"{type(exc).__name__}: {exc}"[:500])
    cert = status.signing_cert
    signer = cert.subject.human_friendly if cert is not None else ""
    modified = status.coverage != SignatureCoverageLevel.ENTIRE_FILE and not status.docmdp_ok
    if not status.intact or not status.valid:
        result = SignatureStatus.INVALID
    elif modified:
        result = SignatureStatus.MODIFIED
    else:
        result = SignatureStatus.VALID
    return SignatureCheck(
        status=result,
        signer=signer[:255],
        signed_at=status.signer_reported_dt,
        modified_after_signing=modified,
        trusted=bool(status.trusted),
        detail=status.summary()[:500],
    )


def record_signature(document: Any) -> DocumentSignature | None:
    """Check an uploaded PDF's signature and keep the result beside the document (never raises)."""
    if getattr(document, "file_kind", "") != "pdf":
        return None
    try:
        with document.file.open("rb") as f:
            result = check_pdf(f.read())
    except Exception as exc:  # storage trouble: say so, do not block the upload
        logger.warning("signature check of document %s failed", document.pk, exc_info=True)
        result = SignatureCheck(SignatureStatus.BROKEN, detail=f"{type(exc).__name__}"[:500])
    signature, _ = DocumentSignature.objects.update_or_create(
        document=document,
        defaults={
            "status": result.status,
            "signer": result.signer,
            "signed_at": result.signed_at,
            "modified_after_signing": result.modified_after_signing,
            "trusted": result.trusted,
            "detail": result.detail,
        },
    )
    return signature
