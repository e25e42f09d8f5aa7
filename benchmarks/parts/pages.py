"""Key pages timed in-process through the test client, beside their raw-SQL floor, the admin changelist
and a bare view."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


# --- in-process page timing ---------------------------------------------------------------------------
@dataclass
class PageResult:
    key: str
    label: str
    user: str
    url: str
    status: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    queries: int = 0
    bytes: int = 0
    sql_floor_p50_ms: float = 0.0
    admin_url: str = ""
    admin_p50_ms: float | None = None
    admin_p95_ms: float | None = None
    admin_queries: int | None = None
    note: str = ""


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def fetch(client: Any, url: str) -> tuple[int, int]:
    response = client.get(url)
    if getattr(response, "streaming", False):
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    return response.status_code, size


def time_url(client: Any, url: str, iterations: int) -> tuple[list[float], int, int, list[str]]:
    """Warm up, time ``iterations`` requests, then one more with the queries captured."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        fetch(client, url)
    times = []
    status = size = 0
    for _ in range(iterations):
        started = time.perf_counter()
        status, size = fetch(client, url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fetch(client, url)
    sql = [q["sql"] for q in ctx.captured_queries]
    return times, status, size, sql


def sql_floor(statements: list[str], iterations: int) -> float:
    """p50 (ms) of replaying the page's own SQL with a raw cursor: the database's share of the page."""
    from django.db import connection

    replay = [s for s in statements if not s.upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))]
    replay = [s for s in replay if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    times = []
    with connection.cursor() as cursor:
        for _ in range(max(iterations, 3)):
            started = time.perf_counter()
            for statement in replay:
                cursor.execute(statement)
                cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 50)


@dataclass
class Page:
    key: str
    label: str
    user: str
    url: Callable[[], str | None]
    admin_model: str | None = None
    admin_query: str = ""


def reverse_or_none(name: str, **kwargs: Any) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def sample_objects() -> dict[str, Any]:
    """The Phú Thọ project with the most ledger rows (a heavy detail page) and one of its allocations."""
    from django.apps import apps
    from django.db.models import Count

    from benchdata.users import BENCH_PROVINCE
    from funding.gates import GATES, MoneyAction

    payable = GATES[MoneyAction.PAYMENT].states  # the payment form's page is one that may be posted

    found: dict[str, Any] = {}
    try:
        Project = apps.get_model("projects.Project")
        Allocation = apps.get_model("funding.Allocation")
    except LookupError:
        return found
    allocation = (
        Allocation.objects.filter(
            project__province__name=BENCH_PROVINCE,
            project__status__in=payable,
        )
        .annotate(n=Count("entries"))
        .order_by("-n", "pk")
        .first()
    )
    if allocation is not None:
        found["allocation"] = allocation.pk
    project = (
        Project.objects.filter(province__name=BENCH_PROVINCE)
        .annotate(n=Count("beneficiaries", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    if project is not None:
        found["project"] = project.pk
    if allocation is not None:
        found["money_project"] = allocation.project_id
    return found


def key_pages(samples: dict[str, Any]) -> list[Page]:
    from benchdata.users import BENCH_PROVINCE
    from regions.models import Province

    province = Province.objects.get(name=BENCH_PROVINCE).pk
    return [
        Page(
            "facility_list",
            "Danh sách cơ sở (tỉnh)",
            "bench.staff",
            lambda: reverse_or_none("beneficiaries:facility_list"),
            "beneficiaries.Facility",
            f"province__code__exact={province}",
        ),
        Page(
            "facility_list_national",
            "Danh sách cơ sở (toàn quốc)",
            "bench.national",
            lambda: reverse_or_none("beneficiaries:facility_list"),
            "beneficiaries.Facility",
        ),
        Page(
            "facility_search",
            "Tìm cơ sở “nguyen van” (tỉnh)",
            "bench.staff",
            lambda: _q(reverse_or_none("beneficiaries:facility_list"), "q=nguyen+van"),
            "beneficiaries.Facility",
            "q=nguyen+van",
        ),
        Page(
            "facility_search_national",
            "Tìm cơ sở “mây tre” (toàn quốc)",
            "bench.national",
            lambda: _q(reverse_or_none("beneficiaries:facility_list"), "q=may+tre"),
            "beneficiaries.Facility",
            "q=may+tre",
        ),
        Page(
            "project_list",
            "Danh sách đề án (tỉnh)",
            "bench.staff",
            lambda: reverse_or_none("projects:project_list"),
            "projects.Project",
            f"province__code__exact={province}",
        ),
        Page(
            "project_detail",
            "Chi tiết đề án",
            "bench.staff",
            lambda: (
                samples.get("project") and reverse_or_none("projects:project_detail", pk=samples["project"])
            ),
        ),
        Page(
            "project_money",
            "Kinh phí của đề án",
            "bench.staff",
            lambda: (
                samples.get("money_project")
                and reverse_or_none("funding:project_money", project_pk=samples["money_project"])
            ),
        ),
        Page(
            "payment_entry",
            "Nhập thanh toán (biểu mẫu)",
            "bench.staff",
            lambda: (
                samples.get("allocation")
                and reverse_or_none("funding:payment_create", pk=samples["allocation"])
            ),
            "funding.MoneyEntry",
        ),
        Page(
            "province_dashboard",
            "Bảng điều khiển (tỉnh)",
            "bench.manager",
            lambda: reverse_or_none("reports:dashboard"),
        ),
        Page(
            "national_dashboard",
            "Bảng điều khiển (toàn quốc)",
            "bench.national",
            lambda: reverse_or_none("reports:dashboard"),
        ),
        Page(
            "annual_plan",
            "Kế hoạch năm (tỉnh)",
            "bench.manager",
            lambda: reverse_or_none("funding:annual_plan"),
        ),
    ]


def _q(url: str | None, query: str) -> str | None:
    return f"{url}?{query}" if url else None


def admin_changelist(label: str) -> str | None:
    from django.apps import apps
    from django.contrib import admin

    model = apps.get_model(label)
    name = f"{model._meta.app_label}_{model._meta.model_name}_changelist"
    if model in admin.site._registry:
        return reverse_or_none(f"admin:{name}")
    return reverse_or_none(f"bench_admin:{name}")


def measure_pages(iterations: int, log: Callable[[str], None]) -> list[PageResult]:
    from django.test import Client

    from accounts.models import User

    samples = sample_objects()
    clients: dict[str, Client] = {}

    def client_for(username: str) -> Client:
        if username not in clients:
            clients[username] = Client()
            clients[username].force_login(User.objects.get(username=username))
        return clients[username]

    results = []
    for page in key_pages(samples):
        url = page.url()
        result = PageResult(page.key, page.label, page.user, url or "")
        if not url:
            result.note = "chưa có trang (URL chưa tồn tại hoặc thiếu dữ liệu)"
            results.append(result)
            log(f"  {page.key:<26} bỏ qua: {result.note}")
            continue
        times, status, size, sql = time_url(client_for(page.user), url, iterations)
        result.status, result.bytes, result.queries = status, size, len(sql)
        result.p50_ms, result.p95_ms = percentile(times, 50), percentile(times, 95)
        result.sql_floor_p50_ms = sql_floor(sql, iterations)
        if page.admin_model:
            admin_url = admin_changelist(page.admin_model)
            if admin_url:
                admin_url = f"{admin_url}?{page.admin_query}" if page.admin_query else admin_url
                a_times, a_status, _, a_sql = time_url(client_for("bench.admin"), admin_url, iterations)
                result.admin_url = admin_url
                if a_status == 200:
                    result.admin_p50_ms = percentile(a_times, 50)
                    result.admin_p95_ms = percentile(a_times, 95)
                    result.admin_queries = len(a_sql)
                else:
                    result.note = f"admin changelist answered {a_status}"
        log(
            f"  {page.key:<26} {status} p50 {result.p50_ms:7.1f} ms  p95 {result.p95_ms:7.1f} ms  "
            f"{result.queries:3d} q  SQL {result.sql_floor_p50_ms:6.1f} ms"
        )
        results.append(result)
    return results


def measure_bare(iterations: int) -> dict[str, float]:
    from django.test import Client

    times, status, _, sql = time_url(Client(), "/__bench__/bare/", max(iterations, 50))
    return {
        "status": status,
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "queries": len(sql),
    }
