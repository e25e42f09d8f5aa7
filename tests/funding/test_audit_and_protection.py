"""Every money mutation is audited by database triggers (also bulk and raw SQL), and nothing cascades
into money when a parent row is deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection, models

from funding import services
from funding.models import Allocation

pytestmark = pytest.mark.django_db
MONEY_MODELS = [m for m in apps.get_app_config("funding").get_models() if not m.__name__.endswith("Event")]


def events(model_name: str, **filters):
    return apps.get_model("funding", f"{model_name}Event").objects.filter(**filters).order_by("pgh_id")


def test_every_money_table_is_tracked():
    for model in MONEY_MODELS:
        assert apps.get_model("funding", f"{model.__name__}Event"), model


def test_payment_is_audited_with_user_before_and_after(allocation_a, staff_a):
    services.payment_record(
        user=staff_a,
        allocation=allocation_a,
        amount=7_000_000,
        voucher_number="PC-9",
        voucher_date=dt.date(2026, 4, 2),
    )
    entry_event = events("MoneyEntry", pgh_label="insert").get()
    assert entry_event.amount == 7_000_000
    assert entry_event.pgh_context.metadata["user"] == staff_a.pk
    assert entry_event.pgh_context.metadata["action"] == "payment_record"
    history = list(events("Allocation", pgh_obj_id=allocation_a.pk).values_list("pgh_label", "paid"))
    assert history[0] == ("insert", 0)  # before
    assert history[-1] == ("update", 7_000_000)  # after


@pytest.mark.parametrize("path", ["queryset_update", "raw_sql"])
def test_bulk_and_raw_sql_changes_are_audited(allocation_a, path):
    before = events("Allocation", pgh_obj_id=allocation_a.pk).count()
    if path == "queryset_update":
        Allocation.objects.filter(pk=allocation_a.pk).update(decision_number="QĐ sửa hàng loạt")
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE funding_allocation SET decision_number = %s WHERE id = %s",
                ["QĐ sửa SQL", allocation_a.pk],
            )
    latest = events("Allocation", pgh_obj_id=allocation_a.pk).last()
    assert events("Allocation", pgh_obj_id=allocation_a.pk).count() == before + 1
    assert latest.pgh_label == "update" and latest.decision_number.startswith("QĐ sửa")


def test_allocation_adjustment_and_settlement_paths_are_audited(allocation_a, manager_a, staff_a):
    from projects.models import Project

    services.allocation_adjust(
        user=manager_a,
        allocation=allocation_a,
        amount=180_000_000,
        decision_number="QĐ-2",
        decision_date=dt.date(2026, 6, 1),
        reason="Giảm",
        expected_version=None,
    )
    Project.objects.filter(pk=allocation_a.project_id).update(status="accepted")
    services.settlement_record(
        user=staff_a,
        project=Project.objects.get(pk=allocation_a.project_id),
        year=2026,
        decision_number="QT-1",
        decision_date=dt.date(2027, 1, 5),
        actual={},
    )
    assert events("AllocationVersion", number=2).get().pgh_context.metadata["user"] == manager_a.pk
    assert events("BudgetEnvelope", pgh_label="update").last().allocated == 180_000_000
    assert events("Settlement").get().pgh_context.metadata["action"] == "settlement_record"
    assert events("SettlementLine").exists()


def test_no_cascade_into_money():
    """Walk every model: no relation into a money table, and none out of one, deletes money by cascade."""
    money = set(MONEY_MODELS)
    offenders = []
    for model in apps.get_models():
        if model.__name__.endswith("Event") and model._meta.app_label == "funding":
            continue  # audit rows: unconstrained foreign keys, DO_NOTHING
        for field in model._meta.get_fields():
            if not ((field.is_relation and field.many_to_one) or field.one_to_one) or not field.concrete:
                continue
            remote, related = field.remote_field, field.related_model
            assert remote is not None and related is not None and not isinstance(related, str)
            on_delete = remote.on_delete
            # A money row hanging on anything, or anything hanging on a money row.
            if (model in money or related in money) and on_delete is not models.PROTECT:
                offenders.append(f"{model.__name__}.{field.name} → {related.__name__}: {on_delete!r}")
    assert not offenders, offenders
