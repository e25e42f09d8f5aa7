"""Fixture users per role and province (healthchecks' alice/bob/charlie, here by province)."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from accounts.models import OrganisationKind, Role
from tests.factories import OrganisationFactory, UserFactory, province

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs ~0.3 s a user; tests need no strong hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def province_a():
    """The demo province: Phú Thọ (which took in Hòa Bình and Vĩnh Phúc)."""
    return province("Tỉnh Phú Thọ")


@pytest.fixture
def province_b():
    """Another province, for scope boundaries: Hà Nội."""
    return province("Thành phố Hà Nội")


@pytest.fixture
def org_a(province_a):
    return OrganisationFactory.create(name="Trung tâm Khuyến công tỉnh Phú Thọ", province=province_a)


@pytest.fixture
def org_b(province_b):
    return OrganisationFactory.create(name="Trung tâm Khuyến công Hà Nội", province=province_b)


@pytest.fixture
def org_national():
    return OrganisationFactory.create(
        name="Cục Khuyến công (thử nghiệm)", kind=OrganisationKind.NATIONAL, province=None
    )


@pytest.fixture
def staff_a(org_a):
    return UserFactory.create(username="staff_a", organisation=org_a, role=Role.STAFF)


@pytest.fixture
def manager_a(org_a):
    return UserFactory.create(username="manager_a", organisation=org_a, role=Role.MANAGER)


@pytest.fixture
def staff_b(org_b):
    return UserFactory.create(username="staff_b", organisation=org_b, role=Role.STAFF)


@pytest.fixture
def manager_b(org_b):
    return UserFactory.create(username="manager_b", organisation=org_b, role=Role.MANAGER)


@pytest.fixture
def national_manager(org_national):
    return UserFactory.create(username="national_manager", organisation=org_national, role=Role.MANAGER)


@pytest.fixture
def admin_user(org_national):
    return UserFactory.create(username="admin", organisation=org_national, role=Role.ADMIN)


@pytest.fixture
def world(db, province_a, province_b, staff_a, manager_a, staff_b, manager_b, national_manager, admin_user):
    """Users of every role in two provinces, plus each app's sample objects (tests/matrix/<app>.py)."""
    from tests.matrix import build_world

    w = SimpleNamespace(
        province_a=province_a,
        province_b=province_b,
        staff_a=staff_a,
        manager_a=manager_a,
        staff_b=staff_b,
        manager_b=manager_b,
        national_manager=national_manager,
        admin=admin_user,
    )
    build_world(w)
    return w


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _celery_queue_selection_restored():
    """A test worker started with ``queues=[...]`` narrows the app's queue selection for the whole
    process (celery's ``Queues.select``), so a later worker in the same xdist process would consume
    only that queue and leave every other task waiting: restore the selection after each test."""
    from khuyencong.celery import app

    queues = app.amqp.queues
    saved = dict(queues._consume_from) if queues._consume_from is not None else None
    yield
    queues._consume_from = saved
