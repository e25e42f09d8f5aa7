"""Money URLs × roles. Province A holds an approved project with an envelope, an allocation and a
payment with a voucher file; province B a project of its own."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from tests.matrix import MANAGER_ACT_A, MANAGER_ONLY, READ_A, READ_ALL, STAFF_CHANGE_A, Case

# Role is checked before scope, so province B's staff (no funding.allocate) gets 403, not 404.
MANAGER_A = {**MANAGER_ACT_A, "staff_b": 403}
STAFF_POST_A = {"staff_a": 302, "manager_a": 403, "staff_b": 404, "national_manager": 403, "admin": 302}
MANAGER_POST_A = {"staff_a": 403, "manager_a": 302, "staff_b": 403, "national_manager": 302, "admin": 302}
# A bad amount: refused with 400 for those allowed; the others never reach the form.
STAFF_BAD_A = {"staff_a": 400, "manager_a": 403, "staff_b": 404, "national_manager": 403, "admin": 400}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def setup(world) -> None:
    from funding import services
    from funding.models import MoneyEntry
    from tests.factories import budget_envelope, cost_plan_line, funded_allocation, money_project

    world.fund_project_a = money_project(
        world.province_a, title="Đào tạo nghề mây tre đan Tân Lạc", status="in_progress"
    )
    world.fund_project_b = money_project(world.province_b, title="Đào tạo nghề sơn mài Hà Nội")
    world.fund_allocation_a = funded_allocation(world.fund_project_a, world.manager_a, amount=200_000_000)
    world.fund_envelope_a = world.fund_allocation_a.envelope
    budget_envelope(world.province_a, level="kcqg", amount=1_000_000_000)
    cost_plan_line(world.fund_project_a, source="kcqg", amount=100_000_000)
    entry = services.payment_record(
        user=world.staff_a,
        allocation=world.fund_allocation_a,
        amount=10_000_000,
        voucher_number="PC-001",
        voucher_date=dt.date(2026, 4, 1),
        document=ContentFile(PDF, name="phieu-chi.pdf"),
    )
    world.fund_entry_a = MoneyEntry.objects.get(pk=entry.pk)


def _entry(w):
    return {"amount": "5.000.000", "voucher_number": "PC-002", "voucher_date": "02/04/2026"}


CASES = [
    Case("funding:annual_plan", READ_ALL),
    Case("funding:annual_plan", READ_A, query="province=25&year=2026", id="annual_plan-province"),
    Case("funding:annual_plan_export", READ_A, query="province=25&year=2026"),
    Case("funding:envelope_create", MANAGER_ONLY),
    Case(
        "funding:envelope_create",
        {"staff_a": 403, "manager_a": 302, "staff_b": 403, "national_manager": 400, "admin": 400},
        method="post",
        data=lambda w: {"year": "2027", "level": "kcdp", "amount": "1,5 tỷ"},
    ),
    Case("funding:envelope_update", MANAGER_A, kwargs=lambda w: {"pk": w.fund_envelope_a.pk}),
    Case("funding:project_money", READ_A, kwargs=lambda w: {"project_pk": w.fund_project_a.pk}),
    Case("funding:project_money_export", READ_A, kwargs=lambda w: {"project_pk": w.fund_project_a.pk}),
    Case("funding:cost_plan_edit", STAFF_CHANGE_A, kwargs=lambda w: {"project_pk": w.fund_project_a.pk}),
    Case(
        "funding:cost_plan_edit",
        STAFF_POST_A,
        kwargs=lambda w: {"project_pk": w.fund_project_a.pk},
        method="post",
        data=lambda w: {"kcdp_2026": "200 triệu", "facilities": "1"},
    ),
    Case("funding:allocation_create", MANAGER_A, kwargs=lambda w: {"project_pk": w.fund_project_a.pk}),
    Case(
        "funding:allocation_create",
        MANAGER_POST_A,
        kwargs=lambda w: {"project_pk": w.fund_project_a.pk},
        method="post",
        data=lambda w: {
            "source": "kcqg",
            "year": "2026",
            "amount": "100.000.000",
            "decision_number": "125/QĐ-SCT",
            "decision_date": "02/03/2026",
        },
    ),
    Case("funding:allocation_adjust", MANAGER_A, kwargs=lambda w: {"pk": w.fund_allocation_a.pk}),
    Case("funding:advance_create", STAFF_CHANGE_A, kwargs=lambda w: {"pk": w.fund_allocation_a.pk}),
    Case("funding:payment_create", STAFF_CHANGE_A, kwargs=lambda w: {"pk": w.fund_allocation_a.pk}),
    Case(
        "funding:payment_create",
        STAFF_POST_A,
        kwargs=lambda w: {"pk": w.fund_allocation_a.pk},
        method="post",
        data=_entry,
    ),
    Case(
        "funding:payment_create",
        STAFF_BAD_A,
        kwargs=lambda w: {"pk": w.fund_allocation_a.pk},
        method="post",
        data=lambda w: {**_entry(w), "amount": "-5"},
        id="post:payment_create-negative",
    ),
    Case("funding:recovery_create", STAFF_CHANGE_A, kwargs=lambda w: {"pk": w.fund_allocation_a.pk}),
    Case("funding:entry_reverse", STAFF_CHANGE_A, kwargs=lambda w: {"pk": w.fund_entry_a.pk}),
    Case("funding:entry_document", READ_A, kwargs=lambda w: {"pk": w.fund_entry_a.pk}),
    Case("funding:settlement_create", STAFF_CHANGE_A, kwargs=lambda w: {"project_pk": w.fund_project_a.pk}),
]
