"""Writes another system makes: facilities (the web form's rules and messages, the register's
service) and monthly progress reports with indicators (projects.services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from beneficiaries.forms import FacilityForm
from beneficiaries.models import Facility
from projects.models import ProgressReport
from tests.factories import ProjectFactory, facility

pytestmark = pytest.mark.django_db


def test_create_returns_the_facility_with_its_codes(api, write_a, facility_payload, province_a):
    response = api(write_a[1]).post(reverse("api:facility_list"), facility_payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["tax_code"] == "0101243150" and body["province"]["code"] == province_a.pk
    assert response["Location"] == reverse("api:facility_detail", kwargs={"pk": body["id"]})
    created = Facility.objects.get(pk=body["id"])
    assert created.created_by == write_a[0].user


def test_invalid_facility_gets_the_web_forms_messages(api, write_a, facility_payload, staff_a):
    bad = {**facility_payload, "tax_code": "0101243151", "workers_female": 20}
    response = api(write_a[1]).post(reverse("api:facility_list"), bad)
    assert response.status_code == 400
    errors = response.json()["errors"]
    form = FacilityForm(
        data={**bad, "province": 25, "status": "active", "workers_ethnic_minority": 0}, user=staff_a
    )
    assert not form.is_valid()
    assert [e["message"] for e in errors["tax_code"]] == form.errors["tax_code"]
    assert [e["message"] for e in errors["workers_female"]] == form.errors["workers_female"]
    assert not Facility.objects.filter(name=bad["name"]).exists()


def test_type_errors_are_vietnamese_by_field(api, write_a):
    response = api(write_a[1]).post(
        reverse("api:facility_list"), {"name": "", "kind": "xyz", "commune": "abc"}
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["name"][0] == {"code": "blank", "message": "Trường này không được để trống."}
    assert errors["kind"][0]["code"] == "invalid_choice"
    assert errors["commune"][0]["message"] == "Cần một số nguyên hợp lệ."


def test_duplicate_tax_code_is_a_conflict(api, write_a, facility_payload):
    assert api(write_a[1]).post(reverse("api:facility_list"), facility_payload).status_code == 201
    again = api(write_a[1]).post(reverse("api:facility_list"), {**facility_payload, "name": "Tên khác"})
    assert again.status_code == 409
    body = again.json()
    assert body["code"] == "duplicate" and body["errors"]["tax_code"][0]["message"].startswith("Mã số thuế")


def test_another_provinces_commune_is_refused(api, write_a, facility_payload, province_b):
    from tests.factories import commune_of

    body = {**facility_payload, "commune": commune_of(province_b, "xã").pk}
    response = api(write_a[1]).post(reverse("api:facility_list"), body)
    assert response.status_code == 400
    assert "commune" in response.json()["errors"]


def test_update_changes_only_what_is_sent(api, write_a, province_a, province_b):
    f = facility(
        province_a,
        name="Hợp tác xã Chè Long Cốc",
        kind="htx",
        workers_total=10,
        workers_female=0,
        workers_ethnic_minority=0,
    )
    url = reverse("api:facility_detail", kwargs={"pk": f.pk})
    response = api(write_a[1]).patch(url, {"workers_total": 25, "women_owned": True})
    assert response.status_code == 200, response.content
    f.refresh_from_db()
    assert (f.workers_total, f.women_owned, f.name) == (25, True, "Hợp tác xã Chè Long Cốc")
    other = facility(province_b, name="Công ty Gốm Hà Nội", kind="dnnvv")
    assert (
        api(write_a[1]).patch(reverse("api:facility_detail", kwargs={"pk": other.pk}), {}).status_code == 404
    )


@pytest.fixture
def running(province_a, staff_a):
    project = ProjectFactory.create(
        province=province_a,
        created_by=staff_a,
        status="in_progress",
        decision_number="125/QĐ-SCT",
        decision_date=dt.date(2026, 3, 2),
    )
    project.indicators.create(kind="trainees", planned=30)
    project.indicators.create(kind="trainees_female", planned=10)
    return project


def test_progress_report_with_indicators(api, write_a, running):
    url = reverse("api:progress_report_list", kwargs={"pk": running.pk})
    body = {
        "period": "2026-05-20",
        "percent_done": 50,
        "money_used": 100_000_000,
        "indicators": [{"kind": "trainees", "value": 14}, {"kind": "trainees_female", "value": 6}],
    }
    response = api(write_a[1]).post(url, body)
    assert response.status_code == 201, response.content
    report = ProgressReport.objects.get(project=running)
    assert report.period == dt.date(2026, 5, 1)
    assert {i.kind: i.value for i in report.indicators.all()} == {"trainees": 14, "trainees_female": 6}
    listed = api(write_a[1]).get(url).json()["results"]
    assert listed[0]["indicators"] == [
        {"kind": "trainees", "value": 14},
        {"kind": "trainees_female", "value": 6},
    ]
    again = api(write_a[1]).post(url, body)
    assert (
        again.status_code == 400
        and again.json()["errors"]["period"][0]["message"] == "Tháng này đã có báo cáo tiến độ."
    )


def test_progress_report_rules_are_the_services(api, write_a, running, province_a, staff_a):
    url = reverse("api:progress_report_list", kwargs={"pk": running.pk})
    base = {"period": "2026-06-01", "percent_done": 50, "money_used": 0}
    female_over = {
        **base,
        "indicators": [{"kind": "trainees", "value": 5}, {"kind": "trainees_female", "value": 6}],
    }
    response = api(write_a[1]).post(url, female_over)
    assert response.status_code == 400
    assert "indicators.trainees_female" in response.json()["errors"]
    unplanned = api(write_a[1]).post(url, {**base, "indicators": [{"kind": "machines", "value": 1}]})
    assert unplanned.status_code == 400
    assert "không có trong kế hoạch" in unplanned.json()["errors"]["indicators.machines"][0]["message"]
    draft = ProjectFactory.create(province=province_a, created_by=staff_a)
    refused = api(write_a[1]).post(reverse("api:progress_report_list", kwargs={"pk": draft.pk}), base)
    assert refused.status_code == 409 and refused.json()["code"] == "conflict"
    assert not ProgressReport.objects.exists()


def test_web_form_files_indicators_too(client_for, staff_a, running):
    url = reverse("projects:progress_report_create", kwargs={"pk": running.pk})
    data = {
        "period": "02/05/2026",
        "percent_done": "20",
        "money_used": "1.000.000",
        "indicator_trainees": "8",
    }
    response = client_for(staff_a).post(url, data)
    assert response.status_code == 302
    assert ProgressReport.objects.get(project=running).indicators.get().value == 8
    over = {**data, "period": "02/06/2026", "indicator_trainees_female": "9"}
    response = client_for(staff_a).post(url, over)
    assert response.status_code == 400
    assert "không được lớn hơn tổng số học viên" in response.content.decode()


def test_malformed_json_is_400_not_500(client, write_a):
    response = client.post(
        reverse("api:facility_list"),
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {write_a[1]}",
    )
    assert response.status_code == 400 and response.json()["code"] == "parse_error"
