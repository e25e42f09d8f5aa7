"""The demo seed is realistic (every state, Phú Thọ incl. former Hòa Bình communes) and idempotent."""

from __future__ import annotations

import io

import pytest

from core.management.commands.seed_demo import demo_organisations
from projects import demo
from projects.models import Project, ProjectTransition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seed_twice_creates_nothing_new(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    orgs = demo_organisations()
    users = {
        "cv.phutho": UserFactory.create(
            username="cv.phutho", organisation=orgs["phutho_centre"], role="staff"
        ),
        "ld.phutho": UserFactory.create(
            username="ld.phutho", organisation=orgs["phutho_department"], role="manager"
        ),
        "cv.hanoi": UserFactory.create(username="cv.hanoi", organisation=orgs["hanoi_centre"], role="staff"),
        "ld.hanoi": UserFactory.create(
            username="ld.hanoi", organisation=orgs["hanoi_department"], role="manager"
        ),
    }
    context = {"organisations": orgs, "users": users, "stdout": io.StringIO()}
    demo.seed(context)
    counts = (Project.objects.count(), ProjectTransition.objects.count())
    demo.seed(context)
    assert (Project.objects.count(), ProjectTransition.objects.count()) == counts
    phutho = Project.objects.filter(province__name="Tỉnh Phú Thọ")
    assert phutho.count() >= 15 and Project.objects.filter(province__name="Thành phố Hà Nội").count() >= 2
    assert set(phutho.values_list("status", flat=True)) >= {
        "draft", "submitted", "returned", "appraised", "approved", "contracted", "in_progress", "accepted",
        "settled", "rejected",
    }  # fmt: skip
    years = set(phutho.values_list("start_year", flat=True))
    assert min(years) == 2021 and max(years) == 2026
    former_hoa_binh = phutho.filter(
        communes__legacy_communes__legacy_district__legacy_province__name__contains="Bình"
    ).distinct()
    assert former_hoa_binh.count() >= 5
