"""Open data pages and files, without login. Everything comes from the cached snapshot
(opendata.datasets); rendered pages and files are cached too (keyed by the snapshot's build time and
the language), so an anonymous crowd costs a cache read per request."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from core.db import ReplicaReadMixin
from core.exports import Column, neutralise, write_xlsx
from core.parsing import is_ascii_digits
from reports.selectors import ALL_SOURCES, source_label

from .datasets import RESOURCES, Snapshot, snapshot, snapshot_version
from .package import datapackage

PAGE_TTL = 600
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


def _cached(key: str, build: Any) -> tuple[bytes, str]:
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, PAGE_TTL)
    return found


def _int_param(request: HttpRequest, name: str, allowed: set[int] | range) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if is_ascii_digits(raw) and len(raw) < 6 and int(raw) in allowed else None


class OverviewView(ReplicaReadMixin, View):
    """``/du-lieu-mo/``: figures by province, former province, year, activity and funding level."""

    def get(self, request: HttpRequest) -> HttpResponse:
        # The key needs only the snapshot's version; the snapshot is read on a miss only.
        year = _int_param(request, "nam", range(1990, 2101))
        province = _int_param(request, "tinh", range(1, 100))
        key = f"opendata:page:{snapshot_version()}:{translation.get_language()}:{year}:{province}"
        body, content_type = _cached(key, lambda: (self.build(request, year, province), "text/html"))
        return HttpResponse(body, content_type=f"{content_type}; charset=utf-8")

    def build(self, request: HttpRequest, year: int | None, province: int | None) -> bytes:
        snap = snapshot()
        year = year if year in snap.years else None
        province = province if province in {r[1] for r in snap.rows["theo-tinh"]} else None
        return self.render(request, snap, year, province)

    def render(self, request: HttpRequest, snap: Snapshot, year: int | None, province: int | None) -> bytes:
        facts = snap.by_year[year] if year else snap.period
        provinces = [r for r in snap.rows["theo-tinh"] if r[0] == (year or snap.years[-1])]
        if not year:  # the whole period: sum each province's years? No: use the period's own figures.
            areas = {a["id"]: a for a in snap.period.areas}
            provinces = [
                [
                    None,
                    code,
                    name,
                    *(areas.get(code, {}).get(k, 0) for k in ("projects", "approved", "disbursed")),
                ]
                for _y, code, name, *_rest in provinces
            ]
        provinces.sort(key=lambda r: (-r[4], r[2]))
        former = sorted(
            (f for f in snap.by_former_province if province is None or f["province"] == province),
            key=lambda f: (-f["approved"], -f["projects"], f["name"]),
        )
        categories = [
            {
                "name": c["name"],
                "projects": c["projects"],
                "approved": c["approved"],
                "disbursed": c["disbursed"],
            }
            for c in facts.categories
        ]
        levels = [
            {"level": level, "projects": n, "label": "KCQG" if level == "kcqg" else "KCĐP"}
            for level, n in sorted(facts.level_counts.items())
        ]
        years = [
            {
                "year": y,
                "projects": snap.by_year[y].project_count,
                "approved": snap.by_year[y].approved,
                "disbursed": snap.by_year[y].disbursed,
            }
            for y in snap.years
        ]
        money = [{"label": source_label(s), "m": facts.money[s]} for s in ALL_SOURCES]
        shown = [r for r in provinces if r[3]]  # the chart shows provinces with projects; the table all 34
        chart = {
            "provinces": {
                "labels": [r[2].removeprefix("Tỉnh ").removeprefix("Thành phố ") for r in shown],
                "data": [r[4] for r in shown],
            },
            "years": {
                "labels": [str(y["year"]) for y in years],
                "approved": [y["approved"] for y in years],
                "disbursed": [y["disbursed"] for y in years],
                "labelApproved": _("Kinh phí giao"),
                "labelDisbursed": _("Đã giải ngân"),
            },
            "categories": {
                "labels": [c["name"] for c in categories],
                "data": [c["approved"] for c in categories],
            },
            "levels": {"labels": [lv["label"] for lv in levels], "data": [lv["projects"] for lv in levels]},
        }
        context = {
            "snap": snap,
            "facts": facts,
            "year": year,
            "province": province,
            "province_name": next((r[2] for r in provinces if r[1] == province), ""),
            "provinces": provinces,
            "former": former,
            "categories": categories,
            "levels": levels,
            "years": years,
            "money": money,
            "chart": chart,
            "chart_height": max(160, 28 * len(shown) + 60),
            "resources": RESOURCES.values(),
            "period_label": f"{snap.years[0]}–{snap.years[-1]}",
        }
        return render_to_string("opendata/overview.html", context, request=request).encode()


class ResourceFileView(ReplicaReadMixin, View):
    """``/du-lieu-mo/tai-ve/<name>.<format>``: one dataset as CSV, XLSX or JSON."""

    def get(self, request: HttpRequest, name: str, fmt: str) -> HttpResponse:
        resource = RESOURCES.get(name)
        if resource is None or fmt not in FORMATS:
            raise Http404
        key = f"opendata:file:{snapshot_version()}:{name}:{fmt}"
        body, content_type = _cached(key, lambda: (_file(snapshot(), name, fmt), FORMATS[fmt]))
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        response["Access-Control-Allow-Origin"] = "*"
        return response


def _file(snap: Snapshot, name: str, fmt: str) -> bytes:
    resource = RESOURCES[name]
    names = [f.name for f in resource.fields]
    rows = snap.rows[name]
    if fmt == "json":
        payload = {
            "name": name,
            "title": str(resource.title),
            "data_date": snap.built_at.isoformat(),
            "licence": "CC-BY-4.0",
            "fields": names,
            "data": [dict(zip(names, row, strict=True)) for row in rows],
        }
        return json.dumps(payload, ensure_ascii=False, indent=1).encode()
    if fmt == "csv":
        import csv

        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(names)
        writer.writerows([[neutralise(v) if isinstance(v, str) else v for v in row] for row in rows])
        return ("\ufeff" + out.getvalue()).encode()
    kinds = {"integer": "int", "year": "int"}
    columns = [Column(f.name, kind=kinds.get(f.type, "text")) for f in resource.fields]
    out_bytes = io.BytesIO()
    write_xlsx(out_bytes, [(name, columns, rows)])
    return out_bytes.getvalue()


class DataPackageView(ReplicaReadMixin, View):
    """``/du-lieu-mo/datapackage.json``: the Frictionless Data Package describing every file and field."""

    def get(self, request: HttpRequest) -> HttpResponse:
        key = f"opendata:datapackage:{snapshot_version()}"
        body, content_type = _cached(
            key,
            lambda: (
                json.dumps(datapackage(snapshot()), ensure_ascii=False, indent=1).encode(),
                "application/json",
            ),
        )
        response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
        response["Access-Control-Allow-Origin"] = "*"
        return response
