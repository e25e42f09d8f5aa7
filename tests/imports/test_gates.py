"""The history import and the ledger's lifecycle gates (issue 11): a past project is written in its
final recorded state with its past money, so the gates that judge an entry by today's state are lifted
inside the import's transaction only (writer.HISTORY_EXEMPT_TRIGGERS), deferred ones included."""

from __future__ import annotations

import pgtrigger
import pytest
from django.db import connection, transaction
from django.db.utils import IntegrityError

from funding.models import CostPlanLine, MoneyEntry
from imports import writer
from tests.imports.conftest import problems, run_import
from tests.imports.workbooks import settled_project, workbook

pytestmark = pytest.mark.django_db

GATED = ("funding.Allocation", "funding.MoneyEntry", "funding.CostPlanLine", "funding.Settlement")


def test_every_lifecycle_gate_on_the_money_tables_is_lifted_for_the_history_import():
    gates = [
        f"{model._meta.label}:{trigger.name}"
        for model, trigger in pgtrigger.registered()
        if model._meta.label in GATED and ("gate" in (trigger.name or "") or "covers" in (trigger.name or ""))
    ]
    missing = sorted(set(gates) - set(writer.HISTORY_EXEMPT_TRIGGERS))
    assert not missing, f"add these gates to imports.writer.HISTORY_EXEMPT_TRIGGERS: {missing}"


SETTLED_GATE = pgtrigger.Trigger(
    name="test_history_settled_gate",
    operation=pgtrigger.Insert,
    when=pgtrigger.Before,
    func="""
    IF (SELECT p.status FROM projects_project p JOIN funding_allocation a ON a.project_id = p.id
         WHERE a.id = NEW.allocation_id) = 'settled' THEN
        RAISE EXCEPTION 'money gate: settled' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
    """,
)
PLAN_GATE = pgtrigger.Trigger(
    name="test_history_plan_gate",
    operation=pgtrigger.Update,
    when=pgtrigger.After,
    timing=pgtrigger.Deferred,
    func="RAISE EXCEPTION 'money gate: plan changed' USING ERRCODE = 'check_violation';",
)


@pytest.mark.parametrize("exempt", [True, False])
def test_a_gate_on_todays_state_is_lifted_only_when_listed(staff_a, media, monkeypatch, exempt):
    uri = f"{MoneyEntry._meta.label}:{SETTLED_GATE.name}"
    real = writer.HISTORY_EXEMPT_TRIGGERS  # the ledger's own gates stay lifted; only the test gate varies
    monkeypatch.setattr(writer, "HISTORY_EXEMPT_TRIGGERS", (*real, uri) if exempt else real)
    with SETTLED_GATE.register(MoneyEntry), SETTLED_GATE.install(MoneyEntry):  # type: ignore[arg-type]  # pgtrigger annotates a model class as Model
        batch = run_import(staff_a, workbook(settled_project("HB-2021-001")))
    if exempt:
        assert batch.status == "committed", problems(batch)
        assert MoneyEntry.objects.count() == 3
    else:
        assert batch.status == "invalid" and "money gate: settled" in batch.error
        assert not MoneyEntry.objects.exists()


@pytest.mark.parametrize("exempt", [True, False])
def test_a_deferred_gate_fires_inside_the_import_while_lifted(staff_a, media, monkeypatch, exempt):
    assert run_import(staff_a, workbook(settled_project("HB-2021-001"))).status == "committed"
    uri = f"{CostPlanLine._meta.label}:{PLAN_GATE.name}"
    real = writer.HISTORY_EXEMPT_TRIGGERS  # the ledger's own gates stay lifted; only the test gate varies
    monkeypatch.setattr(writer, "HISTORY_EXEMPT_TRIGGERS", (*real, uri) if exempt else real)
    changed = settled_project("HB-2021-001", **{"Tổng kinh phí (đồng)": 310_000_000})
    changed["Kế hoạch kinh phí"][0][4] = 110_000_000  # counterpart: an UPDATE of the plan line
    changed["Kế hoạch kinh phí"][0][6] = ("=SUM(C{r}:F{r})", 310_000_000)
    with PLAN_GATE.register(CostPlanLine), PLAN_GATE.install(CostPlanLine):  # type: ignore[arg-type]  # pgtrigger annotates a model class as Model
        batch = run_import(staff_a, workbook(changed))
        assert batch.status == "committed", problems(batch)
        if exempt:  # the pending check already ran, under the ignore
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        else:  # it would run at COMMIT and refuse
            with (
                pytest.raises(IntegrityError, match="plan changed"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
