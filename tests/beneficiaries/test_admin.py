"""The admin's facility form writes through the services: the same checks, Vietnamese errors on the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role
from beneficiaries.models import Facility, FacilityKind, FacilityStatus
from tests.beneficiaries.factories import FacilityFactory, valid_tax_code
from tests.factories import UserFactory, commune_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client, org_national):
    user = UserFactory.create(username="quantri_fac", organisation=org_national, role=Role.ADMIN)
    user.is_superuser = user.is_staff = True
    user.save()
    client.force_login(user)
    return user


def _post(client, url, **data):
    base = {
        "name": "HTX Mây tre đan Phú Nghĩa",
        "kind": FacilityKind.COOPERATIVE,
        "status": FacilityStatus.ACTIVE,
        "workers_total": 12,
        "workers_female": 5,
        "workers_ethnic_minority": 0,
    }
    return client.post(url, {**base, **data})


def test_admin_add_goes_through_the_service(client, superuser, province_a):
    commune = commune_of(province_a, "xã")
    tax = valid_tax_code()
    response = _post(client, reverse("admin:beneficiaries_facility_add"), commune=commune.pk, tax_code=tax)
    assert response.status_code == 302, response.content.decode()[:2000]
    facility = Facility.objects.get(tax_code=tax)
    assert facility.province_id == province_a.pk  # derived by the service, not typed in the admin
    assert facility.created_by == superuser


def test_admin_duplicate_tax_code_is_refused_in_vietnamese(client, superuser, province_a):
    existing = FacilityFactory.create(province=province_a)
    response = _post(
        client,
        reverse("admin:beneficiaries_facility_add"),
        commune=commune_of(province_a, "xã").pk,
        tax_code=existing.tax_code,
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "mã số thuế" in str(errors)
    assert Facility.objects.filter(tax_code=existing.tax_code).count() == 1


def test_admin_change_keeps_the_range_checks(client, superuser, province_a):
    facility = FacilityFactory.create(province=province_a)
    url = reverse("admin:beneficiaries_facility_change", args=[facility.pk])
    response = _post(
        client,
        url,
        name=facility.name,
        commune=facility.commune_id,
        tax_code=facility.tax_code,
        workers_total=3,
        workers_female=9,
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    facility.refresh_from_db()
    assert facility.workers_female != 9
