"""What the dashboard shows, built from :func:`reports.selectors.dashboard_facts` (one query): figures,
the one-line summary, chart data, and the link behind each figure to the filtered project list."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import format_vnd_words
from projects.models import FundingLevel, IndicatorKind, ProjectStatus

from .selectors import ALL_SOURCES, STATE_SOURCES, Facts, Filters, dashboard_facts, source_label

# The project list's filter parameters (projects/forms.py ProjectFilter): ``year`` (running that
# year), ``year_from``/``year_to`` (running in any year of the range), ``province``, funding_level,
# category, kind, status (one), commune: the same definitions the dashboard counts with.
PROJECT_LIST_URL_NAME = "projects:project_list"
PROJECT_LIST_PARAMS = (
    "year",
    "year_from",
    "year_to",
    "province",
    "funding_level",
    "category",
    "kind",
    "legacy_province",
    "legacy_district",
    "status",
    "commune",
    # drill-downs (projects.forms.ProjectFilter.DRILL_DOWNS)
    "reached",
    "decided",
    "funded",
    "main_category",
    "money_year",
)

CHART_COLOURS = {
    "kcqg": "#0b5394",
    "kcdp": "#e69138",
    "counterpart": "#6aa84f",
    "other": "#999999",
}


def project_list_url(filters: Filters, **extra: Any) -> str | None:
    """The projects app's list, filtered to the projects behind a figure (None until it exists)."""
    try:
        base = reverse(PROJECT_LIST_URL_NAME)
    except NoReverseMatch:
        return None
    values = {**filters.as_params(), **extra}
    if values["year_from"] == values["year_to"]:
        values["year"] = values["year_from"]
    params = [(k, values[k]) for k in PROJECT_LIST_PARAMS if values.get(k) not in (None, "")]
    return f"{base}?{urlencode(params)}"


def summary_line(facts: Facts) -> str:
    """One line in the register of provincial reports."""
    f = facts.filters
    period = (
        _("Giai đoạn %(p)s") % {"p": f.period_label}
        if f.year_from != f.year_to
        else _("Năm %(y)s") % {"y": f.year_from}
    )
    parts = [
        _("%(n)s đề án được phê duyệt") % {"n": _num(facts.decided_count)},
        _("kinh phí hỗ trợ %(m)s") % {"m": format_vnd_words(facts.approved)},
    ]
    if facts.disbursement_rate is not None:
        parts.append(
            _("đã giải ngân %(m)s (%(r)s)")
            % {"m": format_vnd_words(facts.disbursed), "r": _pct(facts.disbursement_rate)}
        )
    if facts.planned_counterpart:
        parts.append(_("vốn đối ứng %(m)s") % {"m": format_vnd_words(facts.planned_counterpart)})
    parts.append(_("%(n)s cơ sở được hỗ trợ") % {"n": _num(facts.facilities_supported)})
    trainees = facts.indicator("trainees")
    if trainees:
        female = facts.share("trainees_female")
        text = _("%(n)s lao động được đào tạo") % {"n": _num(trainees)}
        if female is not None:
            text += " " + _("(nữ %(r)s)") % {"r": _pct(female)}
        parts.append(text)
    return f"{period}: " + ", ".join(parts) + "."


def _num(value: int) -> str:
    return f"{int(value):,}".replace(",", ".")


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%".replace(".", ",")


def dashboard_context(user: Any, filters: Filters) -> dict[str, Any]:
    facts = dashboard_facts(user, filters, live=False)
    link = lambda **extra: project_list_url(filters, **extra)  # noqa: E731
    years = list(facts.money_by_year)
    year_rows: list[dict[str, Any]] = []
    for year, sources in facts.money_by_year.items():
        values = [
            sources["kcqg"].approved,
            sources["kcdp"].approved,
            sources["counterpart"].planned,
            sources["other"].planned,
        ]
        year_rows.append({"year": year, "values": values, "total": sum(values)})
    stack_labels = [
        _("KCQG (giao)"),
        _("KCĐP (giao)"),
        _("Vốn đối ứng (kế hoạch)"),
        _("Nguồn khác (kế hoạch)"),
    ]
    money_table = [
        {
            "source": source,
            "label": source_label(source),
            "state": source in STATE_SOURCES,
            "m": facts.money[source],
        }
        for source in ALL_SOURCES
    ]
    status_rows = [
        {
            "status": s.value,
            "label": s.label,
            "count": facts.status_counts.get(s.value, 0),
            "url": link(status=s.value),
        }
        for s in ProjectStatus
        if facts.status_counts.get(s.value)
    ]
    # "Đã qua bước" counts every project that has been through the step, wherever it is now.
    funnel = [{"key": k, "label": label, "count": n, "url": link(reached=k)} for k, label, n in facts.funnel]
    # Charts group by the main content; the category filter (if any) stays as the dashboard's.
    categories = [{**c, "url": link(main_category=c["id"])} for c in facts.categories]
    area_key = "commune" if facts.by_area == "commune" else "province"
    areas = [{**a, "url": link(**{area_key: a["id"]})} for a in facts.areas]
    # A level other than the one filtered on counts nothing: no link (it would list that level's).
    levels = [
        {
            "label": label,
            "count": facts.level_counts.get(value, 0),
            "url": link(funding_level=value) if filters.funding_level in ("", value) else None,
        }
        for value, label in FundingLevel.choices
    ]
    charts = {
        "byYear": {
            "labels": years,
            "datasets": [
                {
                    "label": str(stack_labels[i]),
                    "data": [r["values"][i] for r in year_rows],
                    "backgroundColor": CHART_COLOURS[src],
                }
                for i, src in enumerate(ALL_SOURCES)
            ],
            # the year of the money (allocation, plan line), within the dashboard's projects
            "links": [link(money_year=y) for y in years],
        },
        "byCategory": {
            "labels": [c["name"] for c in categories],
            "data": [c["approved"] for c in categories],
            "links": [c["url"] for c in categories],
        },
        "byArea": {
            "labels": [a["name"] for a in areas[:15]],
            "data": [a["approved"] for a in areas[:15]],
            "links": [a["url"] for a in areas[:15]],
        },
        "funnel": {
            "labels": [str(f["label"]) for f in funnel],
            "data": [f["count"] for f in funnel],
            "links": [f["url"] for f in funnel],
        },
    }
    indicator_cards = [
        (IndicatorKind.DEMO_MODELS, "easel"),
        (IndicatorKind.MACHINES, "gear"),
        (IndicatorKind.TECH_LINES, "diagram-3"),
        (IndicatorKind.PRODUCTS_RECOGNISED, "award"),
    ]
    return {
        "facts": facts,
        "filters": filters,
        "summary": summary_line(facts),
        "shares": {"female": facts.share("trainees_female"), "ethnic": facts.share("trainees_ethnic")},
        "generated_at": timezone.localtime(),
        "links": {
            "all": link(),
            "decided": link(decided=1),
            "funded": link(funded=1),
        },
        "year_rows": year_rows,
        "stack_labels": stack_labels,
        "stack_short": [_("KCQG"), _("KCĐP"), _("Đối ứng"), _("Khác")],
        "money_table": money_table,
        "status_rows": status_rows,
        "funnel": funnel,
        "categories": categories,
        "areas": areas,
        "area_label": _("Xã/phường/đặc khu") if facts.by_area == "commune" else _("Tỉnh/thành phố"),
        "levels": levels,
        "charts": charts,
        "indicator_cards": [
            {
                "label": kind.label,
                "icon": icon,
                "value": facts.indicator(kind.value),
                "planned": facts.indicator(kind.value, "planned"),
            }
            for kind, icon in indicator_cards
        ],
    }
