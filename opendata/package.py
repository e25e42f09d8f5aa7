"""The Frictionless Data Package (https://specs.frictionlessdata.io/data-package/) of the open datasets:
every resource and field described in Vietnamese (``title``, ``description``) and English
(``title_en``, ``description_en``), the licence and the date of the data."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from .datasets import RESOURCES, Snapshot

LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}


def _vi(text: Any) -> str:
    with translation.override("vi"):
        return str(text)


def datapackage(snap: Snapshot) -> dict[str, Any]:
    resources = []
    for resource in RESOURCES.values():
        resources.append(
            {
                "name": resource.name,
                "path": f"tai-ve/{resource.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "title": _vi(resource.title),
                "title_en": resource.title_en,
                "description": _vi(resource.description),
                "description_en": resource.description_en,
                "rows": len(snap.rows[resource.name]),
                "schema": {
                    "fields": [
                        {
                            "name": f.name,
                            "type": f.type,
                            "title": _vi(f.title),
                            "title_en": f.title_en,
                            "description": _vi(f.description) or _vi(f.title),
                            "description_en": f.description_en or f.title_en,
                            **({"constraints": {"minimum": 0}} if f.type == "integer" else {}),
                        }
                        for f in resource.fields
                    ]
                },
                "alternates": {
                    "xlsx": f"tai-ve/{resource.name}.xlsx",
                    "json": f"tai-ve/{resource.name}.json",
                },
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "khuyen-cong-du-lieu-mo",
        "title": "Dữ liệu mở khuyến công",
        "title_en": "Industrial extension (khuyến công) open data",
        "description": (
            "Số liệu tổng hợp về đề án và kinh phí khuyến công theo tỉnh, tỉnh cũ, năm, nội dung hoạt động "
            "và cấp kinh phí; danh sách doanh nghiệp, hợp tác xã được hỗ trợ. "
            "Dữ liệu không có thông tin cá nhân (Nghị định 194/2025/NĐ-CP: "
            "dữ liệu nhà nước không phải dữ liệu cá nhân được mở mặc định)."
        ),
        "description_en": (
            "Aggregated industrial extension projects and funding by province, former province, year, "
            "activity and funding level; the registered enterprises and cooperatives supported. "
            "No personal data."
        ),
        "licenses": [LICENCE],
        "created": snap.built_at.isoformat(),
        "data_date": snap.built_at.isoformat(),
        "version": snap.built_at.strftime("%Y.%m.%d.%H%M"),
        "temporal": {"start": str(snap.years[0]), "end": str(snap.years[-1])},
        "keywords": ["khuyến công", "industrial extension", "công nghiệp nông thôn", "Việt Nam"],
        "resources": resources,
    }
