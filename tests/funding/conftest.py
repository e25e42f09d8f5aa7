"""Fixtures of the money tests: an approved project of province A with an envelope and an allocation."""

from __future__ import annotations

import pytest

from tests.factories import budget_envelope, funded_allocation, money_project


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def project_a(province_a):
    """Training project (ND45-01: advances ≤ 70 %, no cap rule), 400 million total, being implemented
    (contracted, not yet accepted: advances and payments together stay within 70 %)."""
    return money_project(province_a, title="Đào tạo nghề dệt thổ cẩm Mai Châu", status="in_progress")


@pytest.fixture
def envelope_a(province_a):
    return budget_envelope(province_a, amount=1_000_000_000)


@pytest.fixture
def allocation_a(project_a, envelope_a, manager_a):
    """200 million KCĐP 2026 allocated to project_a."""
    return funded_allocation(project_a, manager_a, amount=200_000_000)
