"""``manage.py reconcile``: every invariant of the money, checked against the ledger entries.

Each check is one query over the whole data (a GROUP BY, never a loop over rows), so a run at national
scale takes seconds. A difference names the check, the row and both figures. The checks:

* ``allocation_totals`` — an allocation's maintained advanced / recovered / paid equal the sums of its
  entries; disbursed within the amount; recovered within advanced;
* ``envelope_totals`` — an envelope's maintained ``allocated`` equals the sum of its allocations and
  stays within the envelope;
* ``allocation_versions`` — an allocation's amount is its latest version's;
* ``cost_plan`` — an allocation stays within its cost plan line (source and year);
* ``lifecycle`` — ledger entries only on projects that reached the contract; before acceptance the
  money out within the advance ceiling; gross advances within the ceiling (funding.gates);
* ``settlement_lines`` — a settlement line's allocated and disbursed equal the allocations' of its source;
* ``summaries`` — the reports app's maintained summary tables equal a recomputation from the ledger;
* ``dashboard`` — the dashboard's figures (nation and each province) equal the same figures read live,
  and a raw SQL sum over the entries and allocations;
* ``annual_plan`` — each province's annual plan totals equal a raw SQL sum over the entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from projects.workflow import reached_states

from . import gates


@dataclass(frozen=True)
class Difference:
    """One broken invariant: which check, on what, and the two figures that differ."""

    check: str
    subject: str
    detail: str
    province_id: int | None = None

    def __str__(self) -> str:
        return f"[{self.check}] {self.subject}: {self.detail}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rows(sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


def _in(states: Iterable[str]) -> str:
    return "(" + ", ".join(f"'{s}'" for s in states) + ")"


_ENTRY_SUMS = """
    SELECT allocation_id,
           COALESCE(SUM(amount) FILTER (WHERE kind = 'advance'), 0) AS adv,
           COALESCE(SUM(amount) FILTER (WHERE kind = 'recovery'), 0) AS rec,
           COALESCE(SUM(amount) FILTER (WHERE kind = 'payment'), 0) AS pay
      FROM funding_moneyentry GROUP BY allocation_id
"""


def check_allocation_totals(limit: int) -> list[Difference]:
    rows = _rows(
        f"""
        SELECT a.id, p.code, p.province_id, a.source, a.year, a.amount,
               a.advanced, COALESCE(e.adv, 0), a.recovered, COALESCE(e.rec, 0), a.paid, COALESCE(e.pay, 0)
          FROM funding_allocation a JOIN projects_project p ON p.id = a.project_id
          LEFT JOIN ({_ENTRY_SUMS}) e ON e.allocation_id = a.id
         WHERE a.advanced <> COALESCE(e.adv, 0) OR a.recovered <> COALESCE(e.rec, 0)
            OR a.paid <> COALESCE(e.pay, 0)
            OR COALESCE(e.adv, 0) - COALESCE(e.rec, 0) + COALESCE(e.pay, 0) > a.amount
            OR COALESCE(e.rec, 0) > COALESCE(e.adv, 0)
         ORDER BY a.id LIMIT %s
        """,
        [limit],
    )
    out = []
    for pk, code, province, source, year, amount, adv, e_adv, rec, e_rec, pay, e_pay in rows:
        subject = f"funding_allocation #{pk} ({code} {source} {year})"
        for name, have, want in (("advanced", adv, e_adv), ("recovered", rec, e_rec), ("paid", pay, e_pay)):
            if have != want:
                out.append(
                    Difference(
                        "allocation_totals", subject, f"{name} = {have} ≠ tổng bút toán {want}", province
                    )
                )
        if e_adv - e_rec + e_pay > amount:
            out.append(
                Difference(
                    "allocation_totals",
                    subject,
                    f"đã chi theo bút toán {e_adv - e_rec + e_pay} > kinh phí giao {amount}",
                    province,
                )
            )
        if e_rec > e_adv:
            out.append(
                Difference("allocation_totals", subject, f"thu hồi {e_rec} > tạm ứng {e_adv}", province)
            )
    return out


def check_envelope_totals(limit: int) -> list[Difference]:
    rows = _rows(
        """
        SELECT b.id, b.province_id, b.level, b.year, b.amount, b.allocated, COALESCE(s.total, 0)
          FROM funding_budgetenvelope b
          LEFT JOIN (SELECT envelope_id, SUM(amount) AS total FROM funding_allocation GROUP BY 1) s
                 ON s.envelope_id = b.id
         WHERE b.allocated <> COALESCE(s.total, 0) OR COALESCE(s.total, 0) > b.amount
         ORDER BY b.id LIMIT %s
        """,
        [limit],
    )
    out = []
    for pk, province, level, year, amount, allocated, total in rows:
        subject = f"funding_budgetenvelope #{pk} ({level} {year}, tỉnh {province})"
        if allocated != total:
            out.append(
                Difference(
                    "envelope_totals",
                    subject,
                    f"allocated = {allocated} ≠ tổng kinh phí giao {total}",
                    province,
                )
            )
        if total > amount:
            out.append(
                Difference(
                    "envelope_totals", subject, f"tổng kinh phí giao {total} > dự toán {amount}", province
                )
            )
    return out


def check_allocation_versions(limit: int) -> list[Difference]:
    rows = _rows(
        """
        SELECT a.id, p.code, p.province_id, a.amount, v.amount
          FROM funding_allocation a JOIN projects_project p ON p.id = a.project_id
          LEFT JOIN LATERAL (SELECT amount FROM funding_allocationversion
                              WHERE allocation_id = a.id ORDER BY number DESC LIMIT 1) v ON TRUE
         WHERE v.amount IS DISTINCT FROM a.amount
         ORDER BY a.id LIMIT %s
        """,
        [limit],
    )
    return [
        Difference(
            "allocation_versions",
            f"funding_allocation #{pk} ({code})",
            f"amount = {amount} ≠ lần giao cuối {version}",
            province,
        )
        for pk, code, province, amount, version in rows
    ]


def check_cost_plan(limit: int) -> list[Difference]:
    rows = _rows(
        """
        SELECT a.id, p.code, p.province_id, a.source, a.year, a.amount, COALESCE(l.total, 0)
          FROM funding_allocation a JOIN projects_project p ON p.id = a.project_id
          LEFT JOIN (SELECT project_id, source, year, SUM(amount) AS total FROM funding_costplanline
                      GROUP BY 1, 2, 3) l
                 ON l.project_id = a.project_id AND l.source = a.source AND l.year = a.year
         WHERE a.amount > COALESCE(l.total, 0)
         ORDER BY a.id LIMIT %s
        """,
        [limit],
    )
    return [
        Difference(
            "cost_plan",
            f"funding_allocation #{pk} ({code} {source} {year})",
            f"kinh phí giao {amount} > kế hoạch của nguồn trong năm {planned}",
            province,
        )
        for pk, code, province, source, year, amount, planned in rows
    ]


def check_lifecycle(limit: int) -> list[Difference]:
    contracted = _in(reached_states("contracted"))
    ceiling = gates.sql_ceiling_states()
    rows = _rows(
        f"""
        SELECT a.id, p.code, p.province_id, p.status, c.advance_ceiling_pct, a.amount,
               COALESCE(e.adv, 0), COALESCE(e.rec, 0), COALESCE(e.pay, 0), e.allocation_id IS NOT NULL
          FROM funding_allocation a JOIN projects_project p ON p.id = a.project_id
          JOIN projects_activitycategory c ON c.id = p.category_id
          LEFT JOIN ({_ENTRY_SUMS}) e ON e.allocation_id = a.id
         WHERE (e.allocation_id IS NOT NULL AND p.status NOT IN {contracted})
            OR (p.status IN {ceiling}
                AND COALESCE(e.adv, 0) - COALESCE(e.rec, 0) + COALESCE(e.pay, 0)
                    > a.amount * c.advance_ceiling_pct / 100)
            OR COALESCE(e.adv, 0) > a.amount * c.advance_ceiling_pct / 100
         ORDER BY a.id LIMIT %s
        """,
        [limit],
    )
    out = []
    contracted_states = set(reached_states("contracted"))
    for pk, code, province, status, pct, amount, adv, rec, pay, has_entries in rows:
        subject = f"funding_allocation #{pk} ({code}, {status})"
        limit_amount = amount * pct // 100
        if has_entries and status not in contracted_states:
            out.append(Difference("lifecycle", subject, "có bút toán khi đề án chưa ký hợp đồng", province))
        if status in gates.CEILING_STATES and adv - rec + pay > limit_amount:
            out.append(
                Difference(
                    "lifecycle",
                    subject,
                    f"trước nghiệm thu đã chi {adv - rec + pay} > mức tạm ứng {pct}% = {limit_amount}",
                    province,
                )
            )
        if adv > limit_amount:
            out.append(
                Difference(
                    "lifecycle", subject, f"tạm ứng {adv} > mức tạm ứng {pct}% = {limit_amount}", province
                )
            )
    return out


def check_settlement_lines(limit: int) -> list[Difference]:
    rows = _rows(
        f"""
        SELECT s.id, p.code, p.province_id, l.source, l.allocated, COALESCE(a.amount, 0),
               l.disbursed, COALESCE(a.disbursed, 0)
          FROM funding_settlementline l JOIN funding_settlement s ON s.id = l.settlement_id
          JOIN projects_project p ON p.id = s.project_id
          LEFT JOIN (SELECT a.project_id, a.source, SUM(a.amount) AS amount,
                            SUM(COALESCE(e.adv, 0) - COALESCE(e.rec, 0) + COALESCE(e.pay, 0)) AS disbursed
                       FROM funding_allocation a LEFT JOIN ({_ENTRY_SUMS}) e ON e.allocation_id = a.id
                      GROUP BY 1, 2) a ON a.project_id = s.project_id AND a.source = l.source
         WHERE l.source IN ('kcqg', 'kcdp')
           AND (l.allocated <> COALESCE(a.amount, 0) OR l.disbursed <> COALESCE(a.disbursed, 0))
         ORDER BY s.id LIMIT %s
        """,
        [limit],
    )
    out = []
    for pk, code, province, source, allocated, want_allocated, disbursed, want_disbursed in rows:
        subject = f"funding_settlementline (quyết toán #{pk}, {code}, {source})"
        if allocated != want_allocated:
            out.append(
                Difference(
                    "settlement_lines",
                    subject,
                    f"allocated = {allocated} ≠ kinh phí giao {want_allocated}",
                    province,
                )
            )
        if disbursed != want_disbursed:
            out.append(
                Difference(
                    "settlement_lines",
                    subject,
                    f"disbursed = {disbursed} ≠ tổng bút toán {want_disbursed}",
                    province,
                )
            )
    return out


def check_summaries(limit: int) -> list[Difference]:
    try:
        from reports.summary import summary_differences
    except ImportError:  # the reports app's maintained summaries are optional to this module
        return []
    return [
        Difference("summaries", text.split(":", 1)[0], text.split(":", 1)[-1].strip())
        for text in summary_differences(limit)
    ]


#: Dashboard figures compared with a raw sum over the ledger (name → SQL over allocations and entries).
_RAW_FIGURES = {
    "approved": "SELECT COALESCE(SUM(a.amount), 0) FROM funding_allocation a {join} {where}",
    "disbursed": (
        "SELECT COALESCE(SUM(CASE WHEN e.kind = 'recovery' THEN -e.amount ELSE e.amount END), 0) "
        "FROM funding_moneyentry e JOIN funding_allocation a ON a.id = e.allocation_id {join} {where}"
    ),
}


def raw_figures(province: int | None = None) -> dict[str, int]:
    """State money approved (allocated) and disbursed, summed straight from the rows."""
    join = "JOIN projects_project p ON p.id = a.project_id" if province is not None else ""
    where = "WHERE p.province_id = %s" if province is not None else ""
    params = [province] if province is not None else []
    return {
        name: int(_rows(sql.format(join=join, where=where), params)[0][0])
        for name, sql in _RAW_FIGURES.items()
    }


def check_dashboard(limit: int) -> list[Difference]:
    try:
        from reports.selectors import ledger_figures
    except ImportError:
        return []
    out: list[Difference] = []
    provinces = [row[0] for row in _rows("SELECT DISTINCT province_id FROM projects_project ORDER BY 1")]
    for province in [None, *provinces]:
        where = "toàn quốc" if province is None else f"tỉnh {province}"
        shown = ledger_figures(province=province)
        live = ledger_figures(province=province, live=True)
        for name in sorted(set(shown) | set(live)):
            if shown.get(name) != live.get(name):
                out.append(
                    Difference(
                        "dashboard",
                        f"bảng điều khiển ({where}).{name}",
                        f"{shown.get(name)} ≠ sổ kinh phí {live.get(name)}",
                        province,
                    )
                )
        for name, want in raw_figures(province).items():
            if shown.get(name) != want:
                out.append(
                    Difference(
                        "dashboard",
                        f"bảng điều khiển ({where}).{name}",
                        f"{shown.get(name)} ≠ tổng SQL trên bút toán {want}",
                        province,
                    )
                )
        if len(out) >= limit:
            break
    return out[:limit]


def check_annual_plan(limit: int) -> list[Difference]:
    from .selectors import annual_plan

    raw = _rows(
        f"""
        SELECT p.province_id, a.year, SUM(a.amount), SUM(COALESCE(e.adv, 0)), SUM(COALESCE(e.rec, 0)),
               SUM(COALESCE(e.pay, 0))
          FROM funding_allocation a JOIN projects_project p ON p.id = a.project_id
          LEFT JOIN ({_ENTRY_SUMS}) e ON e.allocation_id = a.id
         GROUP BY 1, 2 ORDER BY 1, 2
        """
    )
    out: list[Difference] = []
    for province, year, amount, adv, rec, pay in raw:
        total = annual_plan(province, year).total
        for name, have, want in (
            ("allocated", total.allocated, amount),
            ("advanced", total.advanced, adv),
            ("recovered", total.recovered, rec),
            ("paid", total.paid, pay),
        ):
            if have != want:
                out.append(
                    Difference(
                        "annual_plan",
                        f"kế hoạch năm {year} (tỉnh {province}).{name}",
                        f"{have} ≠ tổng SQL trên bút toán {want}",
                        province,
                    )
                )
        if len(out) >= limit:
            break
    return out[:limit]


CHECKS: dict[str, Callable[[int], list[Difference]]] = {
    "allocation_totals": check_allocation_totals,
    "envelope_totals": check_envelope_totals,
    "allocation_versions": check_allocation_versions,
    "cost_plan": check_cost_plan,
    "lifecycle": check_lifecycle,
    "settlement_lines": check_settlement_lines,
    "summaries": check_summaries,
    "dashboard": check_dashboard,
    "annual_plan": check_annual_plan,
}


def reconcile(*, only: Iterable[str] | None = None, limit: int = 50) -> list[Difference]:
    """Run the checks (all, or ``only`` those named); up to ``limit`` differences per check."""
    names = list(only) if only else list(CHECKS)
    unknown = set(names) - set(CHECKS)
    if unknown:
        raise ValueError(f"Unknown checks: {sorted(unknown)}")
    differences: list[Difference] = []
    for name in names:
        differences.extend(CHECKS[name](limit))
    return differences


def reconcile_run(*, trigger: str = "manual", notify_admins: bool = False, limit: int = 50) -> Any:
    """Run every check, store the run (the inbox and the admin show it), and on any difference tell
    the administrators through the notifications app when ``notify_admins``."""
    from .models import ReconcileRun

    started = timezone.now()
    differences = reconcile(limit=limit)
    run = ReconcileRun.objects.create(
        started_at=started,
        finished_at=timezone.now(),
        trigger=trigger,
        ok=not differences,
        differences=[d.as_dict() for d in differences],
    )
    if differences and notify_admins:
        _notify(run, differences)
    return run


def _notify(run: Any, differences: list[Difference]) -> None:
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from notifications.models import Kind
    from notifications.services import admins, notify

    listed = "\n".join(f"• {d}" for d in differences[:10])
    more = len(differences) - 10
    body = listed + (("\n" + _("… và %(n)s chênh lệch khác.") % {"n": more}) if more > 0 else "")
    notify(
        kind=Kind.RECONCILE_FAILED,
        recipients=admins(),
        title=_("Đối soát số liệu ngày %(day)s: %(n)s chênh lệch")
        % {"day": timezone.localdate(run.started_at).strftime("%d/%m/%Y"), "n": len(differences)},
        body=body,
        url=reverse("admin:funding_reconcilerun_change", args=[run.pk]),
        dedupe_key=f"reconcile:{run.pk}",
    )


def latest_failure(since: dt.timedelta = dt.timedelta(days=7)) -> Any:
    """The latest run, when it found differences and is recent (``None`` once a later run passed)."""
    from .models import ReconcileRun

    run = ReconcileRun.objects.order_by("-started_at", "-pk").first()
    if run is None or run.ok or run.started_at < timezone.now() - since:
        return None
    return run
