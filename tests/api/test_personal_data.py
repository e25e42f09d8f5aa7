"""The API's facility list and its exports show the owner's CCCD and phone masked; exports are logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beneficiaries.models import PersonalDataAccess
from tests.beneficiaries.factories import FacilityFactory

pytestmark = pytest.mark.django_db

PID, PHONE = "001012345645", "0912345621"
PID_MASKED, PHONE_MASKED = "0010******45", "09******21"


@pytest.fixture
def household(province_a):
    return FacilityFactory.create(
        name="Hộ Đinh Thị Mơ",
        kind="ho_kinh_doanh",
        tax_code="",
        personal_id=PID,
        phone=PHONE,
        province=province_a,
    )


def test_the_api_list_and_its_export_are_masked_and_logged(api, read_a, household):
    body = api(read_a[1]).get(reverse("api:facility_list")).json()
    (row,) = body["results"]
    assert (row["personal_id"], row["phone"]) == (PID_MASKED, PHONE_MASKED)
    assert not PersonalDataAccess.objects.exists()  # a JSON page is a list, not an export
    csv_response = api(read_a[1]).get(reverse("api:facility_list"), {"format": "csv"})
    data = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert PID_MASKED in data and PID not in data
    log = PersonalDataAccess.objects.get()
    assert (log.action, log.row_count) == ("export", 1)
