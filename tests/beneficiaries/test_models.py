import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from beneficiaries.models import Facility, FacilityStatus
from tests.beneficiaries.factories import FacilityFactory, valid_tax_code, ward_of
from tests.factories import commune_of

pytestmark = pytest.mark.django_db


def _violates(name, **changes):
    facility = FacilityFactory.create()
    for key, value in changes.items():
        setattr(facility, key, value)
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        facility.save()
    assert name in str(info.value)


def test_database_refuses_more_female_than_total_workers():
    _violates("facility_female_le_total", workers_total=5, workers_female=6)


def test_database_refuses_more_ethnic_minority_than_total_workers():
    _violates("facility_ethnic_le_total", workers_total=5, workers_ethnic_minority=9)


def test_database_refuses_negative_counts_and_money():
    _violates("workers_total", workers_total=-1, workers_female=0, workers_ethnic_minority=0)
    _violates("facility_revenue_non_negative", annual_revenue=-1)


def test_database_refuses_malformed_tax_code():
    _violates("facility_tax_code_digits", tax_code="01001A9106")


def test_one_active_facility_per_tax_code(province_a):
    first = FacilityFactory.create(province=province_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        FacilityFactory.create(province=province_a, tax_code=first.tax_code)
    first.status = FacilityStatus.CLOSED
    first.save()
    assert FacilityFactory.create(
        province=province_a, tax_code=first.tax_code
    ).pk  # a closed one frees the code


def test_merged_needs_target():
    _violates("facility_merged_into_iff_merged", status=FacilityStatus.MERGED)


def test_ward_of_central_city_is_not_eligible(province_b):
    facility = FacilityFactory.create(
        province=province_b, commune=ward_of(province_b), tax_code=valid_tax_code()
    )
    eligibility = facility.eligibility
    assert eligibility.eligible is False
    assert "Phường thuộc thành phố trực thuộc trung ương" in eligibility.reason
    assert Facility.objects.eligible().filter(pk=facility.pk).count() == 0
    assert Facility.objects.not_eligible().filter(pk=facility.pk).count() == 1


def test_commune_of_central_city_and_ward_of_province_are_eligible(province_a, province_b):
    rural = FacilityFactory.create(province=province_b, commune=commune_of(province_b, "xã"))
    ward = FacilityFactory.create(province=province_a, commune=ward_of(province_a))
    assert rural.eligibility.eligible and "xã" in rural.eligibility.reason
    assert ward.eligibility.eligible and "phường của tỉnh" in ward.eligibility.reason
    assert set(Facility.objects.eligible().values_list("pk", flat=True)) == {rural.pk, ward.pk}


def test_closed_facility_is_not_eligible():
    facility = FacilityFactory.create(status=FacilityStatus.CLOSED)
    assert facility.eligibility.eligible is False
    assert "ngừng hoạt động" in facility.eligibility.reason


def test_priority_markers():
    facility = FacilityFactory.create(women_owned=True, disadvantaged_area=True, workers_total=60)
    assert facility.priority_markers == [
        "Vùng khó khăn, dân tộc thiểu số",
        "Phụ nữ làm chủ",
        "Sử dụng từ 50 lao động",
    ]


def test_changes_are_audited():
    facility = FacilityFactory.create()
    facility.workers_total = 40
    facility.save()
    # pghistory makes FacilityEvent at start-up; ``facility.events`` is its reverse accessor.
    events = apps.get_model("beneficiaries", "FacilityEvent")._default_manager.filter(pgh_obj=facility)
    events = events.order_by("pgh_id")
    assert [e.pgh_label for e in events] == ["insert", "update"]


def test_database_keeps_province_consistent_with_commune(province_a, province_b):
    facility = FacilityFactory.create(province=province_a)
    # A caller that bypasses the services (bulk update, raw save) cannot desynchronise the province.
    Facility.objects.filter(pk=facility.pk).update(province=province_b)
    facility.refresh_from_db()
    assert facility.province_id == province_a.pk
    Facility.objects.filter(pk=facility.pk).update(commune=commune_of(province_b, "xã"))
    facility.refresh_from_db()
    assert facility.province_id == province_b.pk
