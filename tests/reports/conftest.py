"""A small, exactly known data set for the dashboard and the reports (amounts in đồng).

Province A (Phú Thọ), default range 2022–2026 (the clock is 2026):
- P1 2024 KCĐP training, approved: plan KCĐP 200 tr + counterpart 150 tr; allocation 200 tr,
  advanced 140 tr, paid 20 tr; trainees 28 (20 female, 14 ethnic minority); two facilities.
- P2 2025 KCQG machinery, settled: plan KCQG 300 tr + counterpart 300 tr + other 50 tr; allocation
  300 tr fully disbursed (advanced 210 tr, paid 90 tr); settlement KCQG 290 tr (10 tr returned),
  counterpart 310 tr; 2 machines, 1 line, 1 model; one facility (also a beneficiary of P1).
- P3 2026 KCĐP fairs, submitted: no money; 3 products planned.
- P4 2019 (outside the range): allocation 100 tr.
Province B (Hà Nội): P5 2025 KCĐP approved, allocation 500 tr.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.factories import ProjectFactory, activity_category, commune_of, project_facility

TR = 1_000_000


def _project(prov, user, code, year, level, category, status, title=None, **kwargs):
    decided = status in ("approved", "contracted", "in_progress", "accepted", "settled")
    if decided:
        kwargs.setdefault("decision_number", f"{code}/QĐ-SCT")
        kwargs.setdefault("decision_date", dt.date(year, 3, 2))
    return ProjectFactory.create(
        code=code,
        title=title or f"Đề án {code} hỗ trợ làng nghề mây tre đan",
        province=prov,
        start_year=year,
        end_year=year,
        funding_level=level,
        category=activity_category(category),
        status=status,
        created_by=user,
        updated_by=user,
        **kwargs,
    )


def _envelope(prov, year, level):
    from funding.models import BudgetEnvelope

    env, _ = BudgetEnvelope.objects.get_or_create(
        province=prov,
        year=year,
        level=level,
        defaults={"amount": 10_000 * TR, "decision_number": "01/QĐ-UBND"},
    )
    return env


def _allocation(project, source, year, amount, advanced=0, paid=0, recovered=0):
    """An allocation as a history load writes it (totals filled, project already in its final state):
    the lifecycle gate, which holds writes as they happen (funding.gates), is not what this data tests."""
    import pgtrigger

    from funding.models import Allocation

    with pgtrigger.ignore("funding.Allocation:allocation_lifecycle_gate"):
        return Allocation.objects.create(
            project=project,
            envelope=_envelope(project.province, year, source),
            source=source,
            year=year,
            amount=amount,
            advanced=advanced,
            recovered=recovered,
            paid=paid,
            decision_number="125/QĐ-SCT",
            decision_date=dt.date(year, 3, 2),
        )


def _plan(project, year, **amounts):
    from funding.models import CostPlanLine

    for source, amount in amounts.items():
        CostPlanLine.objects.create(project=project, source=source, year=year, amount=amount)


def _indicators(project, **values):
    from projects.models import ProjectIndicator

    for kind, (planned, actual) in values.items():
        ProjectIndicator.objects.create(project=project, kind=kind, planned=planned, actual=actual)


def _beneficiary(project, facility, user):
    from projects.models import ProjectBeneficiary

    ProjectBeneficiary.objects.create(project=project, facility=facility, added_by=user)


def build_dataset(province_a, province_b, staff_a, staff_b):
    from funding.models import Settlement, SettlementLine

    u = staff_a
    p1 = _project(
        province_a,
        u,
        "KC-TEST-001",
        2024,
        "kcdp",
        "ND45-01",
        "approved",
        title="Đào tạo nghề đan lát mây tre cho đồng bào dân tộc Mường",
    )
    _plan(p1, 2024, kcdp=200 * TR, counterpart=150 * TR)
    _allocation(p1, "kcdp", 2024, 200 * TR, advanced=140 * TR, paid=20 * TR)
    _indicators(p1, trainees=(30, 28), trainees_female=(20, 20), trainees_ethnic=(15, 14), courses=(1, 1))
    p2 = _project(
        province_a,
        u,
        "KC-TEST-002",
        2025,
        "kcqg",
        "ND45-03",
        "settled",
        title="Hỗ trợ ứng dụng máy sấy chè tiên tiến",
    )
    _plan(p2, 2025, kcqg=300 * TR, counterpart=300 * TR, other=50 * TR)
    _allocation(p2, "kcqg", 2025, 300 * TR, advanced=210 * TR, paid=90 * TR)
    st = Settlement.objects.create(
        project=p2, year=2025, decision_number="45/BB-QT", decision_date=dt.date(2026, 1, 15), recorded_by=u
    )
    SettlementLine.objects.create(
        settlement=st,
        source="kcqg",
        planned=300 * TR,
        allocated=300 * TR,
        disbursed=300 * TR,
        actual=290 * TR,
        returned=10 * TR,
    )
    SettlementLine.objects.create(settlement=st, source="counterpart", planned=300 * TR, actual=310 * TR)
    _indicators(p2, machines=(2, 2), tech_lines=(1, 1), demo_models=(1, 1))
    p3 = _project(province_a, u, "KC-TEST-003", 2026, "kcdp", "ND45-04", "submitted")
    _indicators(p3, products_recognised=(3, None))
    p4 = _project(province_a, u, "KC-TEST-004", 2019, "kcdp", "ND45-01", "settled")
    _allocation(p4, "kcdp", 2019, 100 * TR, paid=100 * TR)
    second_commune = commune_of(province_a, "xã")
    f1 = project_facility(province_a, "Hợp tác xã mây tre đan Phú Vinh", commune=second_commune)
    f2 = project_facility(province_a, "Hộ kinh doanh Bùi Văn Đức")
    _beneficiary(p1, f1, u)
    _beneficiary(p1, f2, u)
    _beneficiary(p2, f1, u)
    p5 = _project(province_b, staff_b, "KC-TEST-005", 2025, "kcdp", "ND45-01", "approved")
    _plan(p5, 2025, kcdp=500 * TR)
    _allocation(p5, "kcdp", 2025, 500 * TR, advanced=100 * TR)
    return SimpleNamespace(p1=p1, p2=p2, p3=p3, p4=p4, p5=p5, f1=f1, f2=f2)


@pytest.fixture
def dataset(db, province_a, province_b, staff_a, staff_b):
    return build_dataset(province_a, province_b, staff_a, staff_b)


@pytest.fixture
def media(settings, tmp_path):
    """Report files go to a throw-away MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT
