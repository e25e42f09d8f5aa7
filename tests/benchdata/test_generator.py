"""The national-scale generator at a tiny scale, and the benchmark harness's pure parts."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from benchdata.generator import generate, mst_check_digit, verify
from benchdata.management.commands.generate_national_data import Command as GenerateCommand
from benchdata.management.commands.generate_national_data import database_is_disposable
from benchmarks import run as bench
from beneficiaries.models import Facility
from funding.models import Allocation, BudgetEnvelope, MoneyEntry
from projects.models import Project
from tests.factories import province

pytestmark = pytest.mark.django_db


def test_tiny_scale_is_deterministic_and_obeys_the_money_rules() -> None:
    province("Tỉnh Phú Thọ")  # the map is loaded
    call_command(GenerateCommand(), scale="tiny", seed=7, stdout=None)
    first = list(Facility.objects.order_by("pk").values_list("name", "tax_code", "workers_total")[:50])
    projects = list(Project.objects.order_by("pk").values_list("code", "status", "total_cost"))
    assert Facility.objects.count() == 300
    assert Project.objects.count() == 40
    assert Allocation.objects.exists() and MoneyEntry.objects.exists()
    assert verify() == []

    generate("tiny", 7, log=lambda _: None)
    assert (
        list(Facility.objects.order_by("pk").values_list("name", "tax_code", "workers_total")[:50]) == first
    )
    assert list(Project.objects.order_by("pk").values_list("code", "status", "total_cost")) == projects
    for envelope in BudgetEnvelope.objects.all():
        assert envelope.allocated == sum(a.amount for a in envelope.allocations.all())
        assert envelope.allocated <= envelope.amount
    for allocation in Allocation.objects.select_related("project__category"):
        assert allocation.advanced - allocation.recovered + allocation.paid <= allocation.amount
        assert (
            allocation.advanced * 100 <= allocation.amount * allocation.project.category.advance_ceiling_pct
        )


def test_generated_tax_codes_carry_a_valid_check_digit() -> None:
    province("Tỉnh Phú Thọ")
    generate("tiny", 3, log=lambda _: None)
    from stdnum.vn import mst

    codes = list(Facility.objects.exclude(tax_code="").values_list("tax_code", flat=True))
    assert codes and all(mst.is_valid(code) for code in codes)
    assert len(codes) == len(set(codes))
    assert mst_check_digit("010010910") == 6


def test_generator_refuses_a_database_not_meant_for_benchmarks(monkeypatch) -> None:
    monkeypatch.setitem(connection.settings_dict, "NAME", "khuyencong")
    with pytest.raises(CommandError):
        call_command(GenerateCommand(), scale="tiny")
    assert database_is_disposable("kc_bench") and database_is_disposable("test_kc")
    assert not database_is_disposable("khuyencong")


def test_harness_parses_wrk_and_writes_a_table() -> None:
    output = """Running 3s test @ http://127.0.0.1:1234
  Latency Distribution
     50%    4.50ms
     90%   20.80ms
     99%    1.20s
  19814 requests in 15.03s, 3.1MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   1318.63
"""
    parsed = bench.parse_wrk(output)
    assert parsed["requests_per_second"] == 1318.63
    assert parsed["latency_99_ms"] == 1200.0
    assert parsed["non_2xx_3xx"] == 3 and parsed["requests"] == 19814
    results = bench.Results("small", 1, "now", machine={"nproc": 2, "cpu": "X"})
    results.pages = [{"label": "Danh sách", "user": "u", "status": 200, "p50_ms": 1.0, "p95_ms": 2.0,
                      "queries": 3, "sql_floor_p50_ms": 0.5, "admin_p50_ms": None}]  # fmt: skip
    table = bench.markdown(results)
    assert "| Danh sách | u | 200 | 1.0 | 2.0 | 3 | 0.5 | – |" in table
    assert bench.percentile([5.0, 1.0, 3.0], 50) == 3.0
