"""Celery tasks of the history import: they take a batch's primary key and call a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="imports.check_import", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def check_import(batch_pk: int) -> str:
    """Dry run of an uploaded workbook (idempotent: a finished batch is skipped)."""
    from .services import import_check_execute

    return import_check_execute(batch_pk=batch_pk)


@shared_task(name="imports.commit_import", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def commit_import(batch_pk: int) -> str:
    """Write a checked workbook, all or nothing (idempotent: only a batch marked committing is written)."""
    from .services import import_commit_execute

    return import_commit_execute(batch_pk=batch_pk)
