"""Open data: the dashboard's figures, described by a Frictionless data package, cached, and free of
personal data (a scan of every page and file)."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from opendata.datasets import RESOURCES, snapshot
from reports.selectors import Filters, dashboard_facts
from tests.factories import ProjectFactory, facility, funded_allocation, money_project

pytestmark = pytest.mark.django_db

CCCD = "001085012345"
PHONE = "0912345678"
OWNER = "Bùi Thị Lanh"
REPRESENTATIVE = "Nguyễn Văn Đạiii"


@pytest.fixture
def data(province_a, province_b, staff_a, manager_a, manager_b):
    """Money in two provinces; supported beneficiaries: an enterprise, a cooperative and a household."""
    from projects.models import ProjectBeneficiary

    cache.clear()
    pa = money_project(province_a, title="Hỗ trợ máy chế biến chè", legacy_province_id=17)
    pb = money_project(province_b, title="Đào tạo nghề gốm", category="ND45-01", funding_level="kcqg")
    funded_allocation(pa, manager_a, amount=180_000_000)
    funded_allocation(pb, manager_b, amount=90_000_000, source="kcqg")
    ProjectFactory.create(province=province_a, created_by=staff_a)  # a draft: counted, no money
    household = facility(
        province_a,
        name=f"Hộ kinh doanh {OWNER}",
        kind="ho_kinh_doanh",
        tax_code="",
        personal_id=CCCD,
        phone=PHONE,
        representative=OWNER,
    )
    company = facility(
        province_a, name="Công ty TNHH Chè Phú Hộ", kind="dnnvv", phone=PHONE, representative=REPRESENTATIVE
    )
    coop = facility(province_b, name="Hợp tác xã Gốm Bát Tràng", kind="htx", representative=REPRESENTATIVE)
    for project, f in ((pa, household), (pa, company), (pb, coop)):
        ProjectBeneficiary.objects.create(project=project, facility=f, added_by=staff_a)
    yield {"pa": pa, "pb": pb, "company": company, "coop": coop, "household": household}
    cache.clear()


def _every_url() -> list[str]:
    snap = snapshot()
    urls = [reverse("opendata:overview"), reverse("opendata:datapackage")]
    urls += [f"{reverse('opendata:overview')}?nam={y}" for y in snap.years]
    urls += [f"{reverse('opendata:overview')}?tinh={code}" for code in (25, 1)]
    urls += [
        reverse("opendata:file", kwargs={"name": n, "fmt": f})
        for n in RESOURCES
        for f in ("csv", "xlsx", "json")
    ]
    return urls


def _text(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxml"):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return "\n".join(
            str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None
        )
    return response.content.decode("utf-8-sig")


def test_no_personal_data_in_any_open_page_or_file(client, data):
    for url in _every_url():
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        for secret in (CCCD, PHONE, OWNER, REPRESENTATIVE, "Hộ kinh doanh"):
            assert secret not in text, (url, secret)
        assert not re.search(r"(?<!\d)\d{12}(?!\d)", text), url  # no CCCD-like number at all
        assert not re.search(r"(?<![\d.])(0|\+84)\d{9}(?![\d.])", text), url  # no phone-like number


def test_facility_data_is_registered_enterprises_and_cooperatives_only(client, data):
    body = json.loads(
        client.get(reverse("opendata:file", kwargs={"name": "co-so-duoc-ho-tro", "fmt": "json"})).content
    )
    assert {row["tax_code"] for row in body["data"]} == {data["company"].tax_code, data["coop"].tax_code}
    assert {row["kind"] for row in body["data"]} <= {"dnnvv", "htx", "lien_hiep_htx"}
    assert set(body["fields"]) == {f.name for f in RESOURCES["co-so-duoc-ho-tro"].fields}


def test_figures_equal_the_dashboards(client, data, national_manager, province_a):
    snap = snapshot()
    for year in snap.years:
        dash = dashboard_facts(national_manager, Filters(year, year))
        rows = [r for r in snap.rows["theo-tinh"] if r[0] == year and r[3]]
        assert sorted(rows, key=lambda r: r[1]) == sorted(
            ([year, a["id"], a["name"], a["projects"], a["approved"], a["disbursed"]] for a in dash.areas),
            key=lambda r: r[1],
        )
        sources = {r[1]: r for r in snap.rows["theo-nguon"] if r[0] == year}
        assert sum(sources[s][3] for s in ("kcqg", "kcdp")) == dash.approved
    whole = dashboard_facts(national_manager, Filters(snap.years[0], snap.years[-1]))
    page = client.get(reverse("opendata:overview")).content.decode()
    assert f"{whole.project_count:,}".replace(",", ".") in page
    assert whole.approved == 270_000_000
    hoa_binh = next(f for f in snap.by_former_province if f["code"] == 17)
    former = dashboard_facts(national_manager, Filters(snap.years[0], snap.years[-1], legacy_province=17))
    assert (hoa_binh["projects"], hoa_binh["approved"]) == (former.project_count, former.approved)
    assert hoa_binh["approved"] == 180_000_000


def test_datapackage_describes_every_file_and_field(client, data):
    package = client.get(reverse("opendata:datapackage")).json()
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["created"] and package["data_date"]
    assert {r["name"] for r in package["resources"]} == set(RESOURCES)
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        for f in fields:
            assert f["title"] and f["title_en"] and f["description"] and f["description_en"], f
        response = client.get(reverse("opendata:overview") + resource["path"])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == [f["name"] for f in fields]
        assert len(rows) - 1 == resource["rows"]
        for row in rows[1:]:
            for f, value in zip(fields, row, strict=True):
                if f["type"] in ("integer", "year"):
                    assert re.fullmatch(r"\d+", value), (resource["name"], f["name"], value)


def test_pages_are_served_from_the_cache(client, data, django_assert_max_num_queries):
    client.get(reverse("opendata:overview"))
    client.get(reverse("opendata:file", kwargs={"name": "theo-tinh", "fmt": "csv"}))
    with django_assert_max_num_queries(0):
        assert client.get(reverse("opendata:overview")).status_code == 200
        assert (
            client.get(reverse("opendata:file", kwargs={"name": "theo-tinh", "fmt": "csv"})).status_code
            == 200
        )
    assert "Set-Cookie" not in client.get(reverse("opendata:overview"))


def test_unknown_file_is_404(client, db):
    assert client.get("/du-lieu-mo/tai-ve/khong-co.csv").status_code == 404
