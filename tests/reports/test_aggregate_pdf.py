"""The aggregate report as PDF in the dossier's layout, with the workbook's figures (issue 11)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from reports.selectors import Filters, dashboard_facts
from tests.reports.conftest import TR
from tests.reports.test_runs import SCOPE_A, generate

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext (poppler-utils)")
def test_aggregate_pdf_has_the_dashboards_figures(dataset, media, manager_a, province_a, tmp_path):
    run = generate(manager_a, "aggregate_pdf", province=province_a.pk, **SCOPE_A)
    assert run.file_name.endswith(".pdf")
    pdf = tmp_path / "aggregate.pdf"
    with run.file.open("rb") as handle:
        pdf.write_bytes(handle.read())
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    facts = dashboard_facts(manager_a, Filters(2022, 2026, province=province_a.pk))
    assert facts.approved == 500 * TR
    assert "Báo cáo tổng hợp khuyến công (PDF)" in text
    assert "Số cơ sở được hỗ trợ" in text
    assert "500.000.000 ₫" in text  # state money approved, as on the dashboard
    assert "Theo nguồn" in text and "Theo địa bàn" in text and "Tổng cộng" in text
