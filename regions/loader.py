"""Loads the administrative map from the ``vietnam-provinces`` package; idempotent."""

from __future__ import annotations

from typing import Any


def load_regions(apps: Any = None) -> dict[str, int]:
    """Create or update every province, commune and legacy unit; returns the counts."""
    from vietnam_provinces import Province as VnProvince
    from vietnam_provinces import Ward as VnWard
    from vietnam_provinces._province_conversion_2025 import OLD_TO_NEW as PROVINCE_OLD_TO_NEW
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARD_OLD_TO_NEW
    from vietnam_provinces.legacy import District as VnLegacyDistrict
    from vietnam_provinces.legacy import Province as VnLegacyProvince
    from vietnam_provinces.legacy import Ward as VnLegacyWard

    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Province = apps.get_model("regions", "Province")
    Commune = apps.get_model("regions", "Commune")
    LegacyProvince = apps.get_model("regions", "LegacyProvince")
    LegacyDistrict = apps.get_model("regions", "LegacyDistrict")
    LegacyCommune = apps.get_model("regions", "LegacyCommune")

    def upsert(model: Any, rows: list[Any], fields: list[str]) -> None:
        model.objects.bulk_create(
            rows, batch_size=2000, update_conflicts=True, unique_fields=["code"], update_fields=fields
        )

    upsert(
        Province,
        [
            Province(code=int(p.code), name=p.name, kind=str(p.division_type), codename=p.codename)
            for p in VnProvince.iter_all()
        ],
        ["name", "kind", "codename"],
    )
    upsert(
        Commune,
        [
            Commune(
                code=int(w.code),
                name=w.name,
                kind=str(w.division_type),
                codename=w.codename,
                province_id=int(w.province_code),
            )
            for w in VnWard.iter_all()
        ],
        ["name", "kind", "codename", "province"],
    )

    def new_province_of(old_code: int) -> int:
        return int(PROVINCE_OLD_TO_NEW[old_code].new_provinces[0].code)

    upsert(
        LegacyProvince,
        [
            LegacyProvince(
                code=int(p.code),
                name=p.name,
                kind=str(p.division_type),
                province_id=new_province_of(int(p.code)),
            )
            for p in VnLegacyProvince.iter_all()
        ],
        ["name", "kind", "province"],
    )
    upsert(
        LegacyDistrict,
        [
            LegacyDistrict(
                code=int(d.code),
                name=d.name,
                kind=str(d.division_type),
                legacy_province_id=int(d.province_code),
            )
            for d in VnLegacyDistrict.iter_all()
        ],
        ["name", "kind", "legacy_province"],
    )

    def new_commune_of(old_code: int) -> int | None:
        entry = WARD_OLD_TO_NEW.get(old_code)
        if entry is None:
            return None
        # A commune split between several new ones rolls up into the first the decree names.
        return int(entry.new_wards[0].code) if entry.new_wards else None

    upsert(
        LegacyCommune,
        [
            LegacyCommune(
                code=int(w.code),
                name=w.name,
                kind=str(w.division_type),
                legacy_district_id=int(w.district_code),
                commune_id=new_commune_of(int(w.code)),
            )
            for w in VnLegacyWard.iter_all()
        ],
        ["name", "kind", "legacy_district", "commune"],
    )
    try:
        apps.get_model("regions", "LegacyCommuneSuccessor")
    except LookupError:  # an early migration's state: migration 0004 loads them
        pass
    else:
        load_successors(apps)
    return {
        "provinces": Province.objects.count(),
        "communes": Commune.objects.count(),
        "legacy_provinces": LegacyProvince.objects.count(),
        "legacy_districts": LegacyDistrict.objects.count(),
        "legacy_communes": LegacyCommune.objects.count(),
    }


def load_successors(apps: Any) -> None:
    """Every (former commune → new commune) pair of the decree, and each commune's unique former units."""
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW as WARD_OLD_TO_NEW

    Commune = apps.get_model("regions", "Commune")
    LegacyCommune = apps.get_model("regions", "LegacyCommune")
    Successor = apps.get_model("regions", "LegacyCommuneSuccessor")
    known_old = set(LegacyCommune.objects.values_list("code", flat=True))
    known_new = set(Commune.objects.values_list("code", flat=True))
    pairs: dict[tuple[int, int], bool] = {}
    districts: dict[int, set[int]] = {}
    provinces: dict[int, set[int]] = {}
    for old_code, entry in WARD_OLD_TO_NEW.items():
        old = int(old_code)
        if old not in known_old:
            continue
        for new in entry.new_wards:
            code = int(new.code)
            if code not in known_new:
                continue
            pairs[(old, code)] = bool(entry.old_ward.is_partly_merged) or len(entry.new_wards) > 1
            districts.setdefault(code, set()).add(int(entry.old_ward.district_code))
            provinces.setdefault(code, set()).add(int(entry.old_ward.province_code))
    Successor.objects.all().delete()
    Successor.objects.bulk_create(
        [Successor(legacy_commune_id=o, commune_id=n, partly=p) for (o, n), p in pairs.items()],
        batch_size=5000,
    )
    communes = list(Commune.objects.all())
    for commune in communes:
        d, p = districts.get(commune.code, set()), provinces.get(commune.code, set())
        commune.legacy_district_id = next(iter(d)) if len(d) == 1 else None
        commune.legacy_province_id = next(iter(p)) if len(p) == 1 else None
    Commune.objects.bulk_update(communes, ["legacy_district", "legacy_province"], batch_size=2000)
