"""Personal data (Law 91/2025/QH15, Decree 356/2025): the owner's CCCD and the phone are masked in
lists, pages and exports; revealing one is a logged POST by a role that needs it; exports are logged."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from beneficiaries.models import Facility, PersonalDataAccess
from core.personal_data import mask_personal_id, mask_phone
from tests.beneficiaries.factories import FacilityFactory

pytestmark = pytest.mark.django_db

PID, PHONE = "001012345645", "0912345621"
PID_MASKED, PHONE_MASKED = "0010******45", "09******21"


@pytest.fixture
def household(province_a) -> Facility:
    return FacilityFactory.create(
        name="Hộ Đinh Thị Mơ",
        kind="ho_kinh_doanh",
        tax_code="",
        personal_id=PID,
        phone=PHONE,
        province=province_a,
    )


def test_masks():
    assert mask_personal_id(PID) == PID_MASKED
    assert mask_phone(PHONE) == PHONE_MASKED
    assert mask_phone("+84912345621") == "+8********21"
    assert mask_phone("123") == "*23"
    assert mask_personal_id("") == ""


def test_the_list_and_the_page_show_them_masked(client_for, staff_a, household):
    client = client_for(staff_a)
    listing = client.get(reverse("beneficiaries:facility_list")).content.decode()
    assert PID_MASKED in listing and PID not in listing
    page = client.get(reverse("beneficiaries:facility_detail", args=[household.pk])).content.decode()
    assert PID_MASKED in page and PHONE_MASKED in page
    assert PID not in page and PHONE not in page
    assert reverse("beneficiaries:facility_reveal", args=[household.pk]) in page  # staff may reveal


def test_a_manager_sees_no_reveal_button(client_for, national_manager, household):
    page = client_for(national_manager).get(reverse("beneficiaries:facility_detail", args=[household.pk]))
    assert page.status_code == 200
    assert reverse("beneficiaries:facility_reveal", args=[household.pk]) not in page.content.decode()


@pytest.mark.parametrize("who", ["staff_a", "admin_user"])
def test_reveal_shows_the_numbers_and_is_logged(request, client_for, who, household):
    user = request.getfixturevalue(who)
    response = client_for(user).post(reverse("beneficiaries:facility_reveal", args=[household.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert PID in body and PHONE in body
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.action, log.facility, log.unmasked) == (user, "reveal", household, True)
    assert log.at is not None


@pytest.mark.parametrize(("who", "status"), [("manager_a", 403), ("national_manager", 403), ("staff_b", 404)])
def test_reveal_is_refused_to_others(request, client_for, who, status, household):
    response = client_for(request.getfixturevalue(who)).post(
        reverse("beneficiaries:facility_reveal", args=[household.pk])
    )
    assert response.status_code == status
    assert PID not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_reveal_is_a_post(client_for, staff_a, household):
    response = client_for(staff_a).get(reverse("beneficiaries:facility_reveal", args=[household.pk]))
    assert response.status_code == 405
    assert not PersonalDataAccess.objects.exists()


def _xlsx_values(content: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [str(v) for row in book.active.iter_rows(values_only=True) for v in row if v is not None]


def test_exports_are_masked_and_logged(client_for, national_manager, household):
    client = client_for(national_manager)
    csv_response = client.get(reverse("beneficiaries:facility_export"), {"format": "csv"})
    data = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert PID_MASKED in data and PHONE_MASKED in data
    assert PID not in data and PHONE not in data
    xlsx = client.get(reverse("beneficiaries:facility_export"), {"format": "xlsx"})
    content = b"".join(xlsx.streaming_content)
    values = _xlsx_values(content)
    assert PID_MASKED in values and PHONE_MASKED in values
    assert PID not in values and PHONE not in values
    logs = list(PersonalDataAccess.objects.order_by("at", "pk"))
    assert [(g.user, g.action, g.row_count, g.unmasked) for g in logs] == [
        (national_manager, "export", 1, False),
        (national_manager, "export", 1, False),
    ]
    assert logs[0].export.endswith(".csv") and logs[1].export.endswith(".xlsx")


def test_a_full_export_is_for_revealing_roles_only(client_for, staff_a, manager_a, household):
    url = reverse("beneficiaries:facility_export")
    assert client_for(manager_a).get(url, {"format": "xlsx", "full": "1"}).status_code == 403
    response = client_for(staff_a).get(url, {"format": "xlsx", "full": "1"})
    values = _xlsx_values(b"".join(response.streaming_content))
    assert PID in values and PHONE in values
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.row_count, log.unmasked) == (staff_a, 1, True)


def test_the_log_is_read_only_in_the_admin(client_for, admin_user, household):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = client_for(admin_user)
    client.post(reverse("beneficiaries:facility_reveal", args=[household.pk]))
    changelist = client.get(reverse("admin:beneficiaries_personaldataaccess_changelist"))
    assert changelist.status_code == 200
    assert "Hộ Đinh Thị Mơ" in changelist.content.decode()
    assert client.get(reverse("admin:beneficiaries_personaldataaccess_add")).status_code == 403
