import pytest

from beneficiaries.models import Facility, FacilityKind
from beneficiaries.services import DuplicateFacility, facility_create, facility_update
from core.errors import Forbidden
from tests.beneficiaries.factories import FacilityFactory, sector, valid_tax_code
from tests.factories import commune_of

pytestmark = pytest.mark.django_db


def _data(commune, **extra):
    data = {
        "name": "Hợp tác xã Chè Long Cốc",
        "kind": FacilityKind.COOPERATIVE,
        "tax_code": valid_tax_code(),
        "commune": commune,
        "workers_total": 30,
        "workers_female": 20,
        "workers_ethnic_minority": 10,
    }
    data.update(extra)
    return data


def test_create_derives_province_from_commune(staff_a, province_a):
    facility = facility_create(
        user=staff_a, data=_data(commune_of(province_a, "xã")), sectors=[sector("1076")]
    )
    assert facility.province_id == province_a.pk
    assert facility.created_by == staff_a
    assert list(facility.sectors.values_list("code", flat=True)) == ["1076"]


def test_create_outside_scope_is_refused(staff_a, province_b):
    with pytest.raises(Forbidden):
        facility_create(user=staff_a, data=_data(commune_of(province_b, "xã")))
    assert not Facility.objects.exists()


def test_duplicate_tax_code_returns_existing(staff_a, province_a):
    existing = FacilityFactory.create(province=province_a)
    with pytest.raises(DuplicateFacility) as info:
        facility_create(user=staff_a, data=_data(commune_of(province_a, "xã"), tax_code=existing.tax_code))
    assert info.value.existing == [existing]
    assert info.value.field == "tax_code"
    assert Facility.objects.count() == 1


def test_same_name_in_same_commune_ignoring_diacritics(staff_a, province_a):
    commune = commune_of(province_a, "xã")
    existing = FacilityFactory.create(province=province_a, commune=commune, name="Hợp tác xã Chè Long Cốc")
    with pytest.raises(DuplicateFacility) as info:
        facility_create(user=staff_a, data=_data(commune, name="hop tac xa che long coc"))
    assert info.value.existing == [existing]
    created = facility_create(
        user=staff_a, data=_data(commune, name="hop tac xa che long coc"), allow_same_name=True
    )
    assert created.pk != existing.pk


def test_duplicate_in_other_province_is_not_revealed(staff_b, province_a, province_b):
    existing = FacilityFactory.create(province=province_a)
    with pytest.raises(DuplicateFacility) as info:
        facility_create(user=staff_b, data=_data(commune_of(province_b, "xã"), tax_code=existing.tax_code))
    assert info.value.existing == []
    assert info.value.hidden == 1
    assert "tỉnh/thành phố khác" in info.value.message


def test_update_moves_province_with_commune_for_national_admin(admin_user, province_a, province_b):
    facility = FacilityFactory.create(province=province_a)
    facility_update(user=admin_user, facility=facility, data={"commune": commune_of(province_b, "xã")})
    facility.refresh_from_db()
    assert facility.province_id == province_b.pk
    assert facility.updated_by == admin_user
