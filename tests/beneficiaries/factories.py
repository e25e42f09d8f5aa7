"""Factories of the facility register (re-exported from tests/factories.py)."""

from __future__ import annotations

import importlib

import factory
from django.apps import apps

from beneficiaries.models import Facility, FacilityKind, Sector
from regions.models import Commune, Province
from tests.factories import commune_of, province

# Valid tax codes (check digit per domain.md §4), one per test facility.
_TAX_PREFIXES = iter(range(260113571, 269999999, 7))


def valid_tax_code(prefix9: str | None = None) -> str:
    """A 10-digit tax code with a correct check digit."""
    from stdnum.vn import mst

    while True:
        nine = prefix9 or f"{next(_TAX_PREFIXES):09d}"
        candidate = nine + str(mst.calc_check_digit(nine))
        if mst.is_valid(candidate):
            return candidate
        if prefix9:
            raise ValueError(prefix9)


def sector(code: str) -> Sector:
    """A VSIC code loaded by the data migration (reloaded after a transactional test's flush)."""
    if not Sector.objects.exists():
        importlib.import_module("beneficiaries.migrations.0002_load_vsic_2018").load(apps, None)
    return Sector.objects.get(code=code)


class FacilityFactory(factory.django.DjangoModelFactory[Facility]):
    """A cooperative in a commune (xã) of Phú Thọ, with a valid tax code."""

    class Meta:
        model = Facility
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Hợp tác xã Chè Tân Sơn số {n}")
    kind = FacilityKind.COOPERATIVE
    tax_code = factory.LazyFunction(valid_tax_code)
    representative = "Hà Thị Hoa"
    commune = factory.LazyAttribute(lambda o: commune_of(o.province, "xã"))
    province = factory.LazyFunction(lambda: province("Tỉnh Phú Thọ"))
    workers_total = 20
    workers_female = 12
    workers_ethnic_minority = 5


def ward_of(prov: Province) -> Commune:
    return commune_of(prov, "phường")
