"""Writes of the history import: upload (the request's only work), the dry run and the commit
(the Celery tasks' bodies). Tasks take the batch's primary key; the row carries status, progress,
errors and counts, shown with the same progress bar as report runs."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, DomainError
from core.scoping import user_can_see_province

from .checking import CheckResult, check_workbook
from .models import ImportStatus, ProjectImport
from .writer import write

logger = logging.getLogger(__name__)

MAX_ERRORS = 2000


def _enqueue(task_name: str, batch_pk: int) -> None:
    from . import tasks

    task = getattr(tasks, task_name)
    try:
        task.apply_async(args=[batch_pk])
    except Exception:  # the broker is down: the page says the batch is waiting
        logger.exception("could not enqueue %s for import %s", task_name, batch_pk)


def import_upload(*, user: Any, upload: Any, province_id: int, sha256: str) -> ProjectImport:
    """Store the workbook and queue its dry run; nothing else happens in the request."""
    if not user_can_see_province(user, province_id):
        raise DomainError(_("Bạn chỉ nhập được dữ liệu của tỉnh mình."), field="province")
    upload.seek(0)
    content = upload.read()
    with transaction.atomic():
        batch = ProjectImport(
            province_id=province_id, file_name=(upload.name or "")[:255], sha256=sha256, created_by=user
        )
        batch.file.save(f"{sha256[:16]}.xlsx", ContentFile(content), save=False)
        batch.save()
        transaction.on_commit(lambda: _enqueue("check_import", batch.pk))
    return batch


def _progress(batch_pk: int) -> Any:
    last = [-1]

    def record(percent: int) -> None:
        percent = max(0, min(int(percent), 99))
        if percent != last[0]:
            last[0] = percent
            ProjectImport.objects.filter(pk=batch_pk).update(progress=percent)

    return record


def _record(batch: ProjectImport, result: CheckResult) -> None:
    errors = [p.as_dict() for p in result.errors[:MAX_ERRORS]]
    breaches = [
        b.as_dict() | {"code": p.code} for p in result.projects.values() if p.historical for b in p.breaches
    ]
    batch.errors = errors + [{"message": str(w), "warning": True} for w in result.warnings[:200]]
    batch.report = {
        **{k: v for k, v in result.report.items() if k != "managing_organisation"},
        "breaches": breaches[:MAX_ERRORS],
        "errors_total": len(result.errors),
    }
    batch.projects_total = len(result.projects)
    batch.projects_created = sum(1 for p in result.projects.values() if not p.existing_id)
    batch.projects_updated = batch.projects_total - batch.projects_created
    batch.money_rows = result.money_rows
    batch.breaches = len(breaches)


def _read(batch: ProjectImport) -> io.BytesIO:
    with batch.file.open("rb") as stored:
        return io.BytesIO(stored.read())


def import_check_execute(*, batch_pk: int) -> str:
    """The dry run (task body): read and check everything, record every problem; write nothing else."""
    claimed = ProjectImport.objects.filter(
        pk=batch_pk, status__in=[ImportStatus.QUEUED, ImportStatus.CHECKING]
    ).update(status=ImportStatus.CHECKING, progress=1)
    if not claimed:
        return "skipped"
    batch = ProjectImport.objects.get(pk=batch_pk)
    try:
        result = check_workbook(_read(batch), province_id=batch.province_id, progress=_progress(batch_pk))
    except Exception as exc:  # a bug must not leave the bar spinning: the row says what happened
        logger.exception("history import %s failed", batch_pk)
        ProjectImport.objects.filter(pk=batch_pk).update(
            status=ImportStatus.FAILED, error=_("Lỗi hệ thống khi đọc tệp: %(e)s") % {"e": type(exc).__name__}
        )
        return "failed"
    _record(batch, result)
    batch.status = ImportStatus.CHECKED if result.ok else ImportStatus.INVALID
    batch.progress = 100
    batch.checked_at = timezone.now()
    batch.save()
    return batch.status


def import_commit_request(*, user: Any, batch: ProjectImport) -> ProjectImport:
    """Queue the commit of a checked batch (the request returns at once; the page shows progress)."""
    with transaction.atomic():
        locked = ProjectImport.objects.select_for_update().get(pk=batch.pk)
        if not user_can_see_province(user, locked.province_id):
            raise DomainError(_("Bạn chỉ nhập được dữ liệu của tỉnh mình."))
        if locked.status != ImportStatus.CHECKED:
            raise Conflict(_("Tệp này đã được nhập, đang xử lý hoặc có lỗi; hãy tải lên tệp đã sửa."))
        locked.status = ImportStatus.COMMITTING
        locked.progress = 1
        locked.error = ""
        locked.committed_by = user
        locked.save(update_fields=["status", "progress", "error", "committed_by"])
        transaction.on_commit(lambda: _enqueue("commit_import", locked.pk))
    return locked


def import_commit_execute(*, batch_pk: int, user: Any | None = None) -> str:
    """The commit (task body): check again and write every project, or nothing, in one transaction."""
    from accounts.models import User

    with transaction.atomic():
        batch = ProjectImport.objects.select_for_update().filter(pk=batch_pk).first()
        if batch is None or batch.status != ImportStatus.COMMITTING:
            return "skipped"
        user = user or User.objects.get(pk=batch.committed_by_id or batch.created_by_id)
        try:
            with transaction.atomic():
                result = check_workbook(_read(batch), province_id=batch.province_id)
                if not result.ok:
                    raise _Refused(result)
                counts = write(result=result, batch=batch, user=user)
        except _Refused as refused:
            _record(batch, refused.result)
            batch.status = ImportStatus.INVALID
            batch.progress = 100
            batch.error = _(
                "Dữ liệu đã thay đổi từ lần kiểm tra trước; tệp có lỗi, không đề án nào được ghi."
            )
            batch.save()
            return "invalid"
        except (IntegrityError, DatabaseError) as exc:
            logger.warning("history import %s refused by the database: %s", batch_pk, exc)
            batch.status = ImportStatus.INVALID
            batch.progress = 100
            batch.error = _(
                "Cơ sở dữ liệu từ chối một dòng (%(e)s); không đề án nào được ghi. Hãy kiểm tra lại tệp."
            ) % {"e": str(exc).splitlines()[0][:300]}
            batch.save()
            return "invalid"
        batch.status = ImportStatus.COMMITTED
        batch.progress = 100
        batch.committed_at = timezone.now()
        batch.projects_created, batch.projects_updated = counts["created"], counts["updated"]
        batch.money_rows = counts["money_rows"]
        batch.breaches = counts["breaches"]
        batch.save()
    # The dashboard's summary rows follow in the same transaction (reports' triggers): nothing to queue.
    return "committed"


class _Refused(Exception):
    def __init__(self, result: CheckResult) -> None:
        super().__init__("refused")
        self.result = result
