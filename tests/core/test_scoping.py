import pytest

from accounts.models import Organisation, User
from core.scoping import user_can_see_province

pytestmark = pytest.mark.django_db


def test_visible_to_limits_province_users(world):
    visible = Organisation.objects.all()
    # Organisation has no scoped queryset; scope rules are exercised through the helper here and
    # through every app's models in their own tests.
    assert visible.count() >= 3
    assert user_can_see_province(world.staff_a, world.province_a.code)
    assert not user_can_see_province(world.staff_a, world.province_b.code)
    assert user_can_see_province(world.national_manager, world.province_b.code)


def test_user_scope_properties(world):
    assert world.staff_a.province_id == world.province_a.code
    assert not world.staff_a.is_national
    assert world.national_manager.province_id is None
    assert world.national_manager.is_national


def test_organisation_kind_and_province_are_consistent(db, province_a):
    from django.db import IntegrityError, transaction

    with transaction.atomic(), pytest.raises(IntegrityError):
        Organisation.objects.create(name="Sở không tỉnh", kind="department", province=None)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Organisation.objects.create(name="Trung ương có tỉnh", kind="national", province=province_a)
    with transaction.atomic(), pytest.raises(IntegrityError):
        User.objects.create(username="no-org")
