import pytest
from django.urls import reverse

from regions.models import Commune, LegacyCommune, LegacyDistrict, LegacyProvince, Province

pytestmark = pytest.mark.django_db


def test_todays_map_has_34_provinces_and_3321_communes():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    assert LegacyProvince.objects.count() == 63


def test_hoa_binh_and_vinh_phuc_roll_up_into_phu_tho():
    phu_tho = Province.objects.get(name="Tỉnh Phú Thọ")
    for old in ("Hòa Bình", "Vĩnh Phúc"):
        legacy = LegacyProvince.objects.get(name__icontains=old.split()[-1], province=phu_tho)
        assert legacy.province == phu_tho
    luong_son = LegacyDistrict.objects.get(name="Huyện Lương Sơn")
    assert luong_son.province == phu_tho
    assert LegacyCommune.objects.filter(legacy_district=luong_son, commune__province=phu_tho).exists()


def test_load_regions_is_idempotent():
    from regions.loader import load_regions

    counts = load_regions()
    assert counts["provinces"] == 34
    assert counts["communes"] == 3321


def test_commune_search_ignores_diacritics(client_for, staff_a):
    response = client_for(staff_a).get(reverse("regions:commune_search"), {"q": "luong son"})
    names = [r["text"] for r in response.json()["results"]]
    assert any("Lương Sơn" in n for n in names)


def test_commune_search_filters_by_province(client_for, staff_a, province_b):
    response = client_for(staff_a).get(
        reverse("regions:commune_search"), {"q": "", "province": province_b.code}
    )
    assert {r["province"] for r in response.json()["results"]} == {province_b.code}
