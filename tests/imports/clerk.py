"""Five years of a former province's khuyến công, as a clerk keeps them in Excel, made by LibreOffice.

:func:`clerk_workbooks` writes two workbooks with openpyxl (no cached formula values, as a script
would) and has LibreOffice convert them to .xlsx, which recalculates every formula and stores its
value, as Excel does on save: the facility list and the projects with their money. Both look like a
clerk's: title rows merged across the sheet, headers without diacritics, a SUM column, dates typed as
text, former Hòa Bình communes. :class:`Expected` holds the totals the workbook states, computed here
from the same rows, for the Hòa Bình projects only (one former Vĩnh Phúc project per year is there to
be filtered out).
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TR = 1_000_000
YEARS = range(2021, 2026)
#: (category, state share of the cost in %): machinery under the old rule allows 30 %, fairs 80 %.
KINDS = [("ND45-01", 60), ("ND45-03", 30), ("ND45-04", 70)]


@dataclass
class Expected:
    projects: int = 0
    decided: int = 0
    planned: dict[str, int] = field(default_factory=dict)
    approved: int = 0
    advanced_net: int = 0
    paid: int = 0
    settled: int = 0
    facilities: set[str] = field(default_factory=set)
    trainees: int = 0

    def add(self, source: str, amount: int) -> None:
        self.planned[source] = self.planned.get(source, 0) + amount

    @property
    def disbursed(self) -> int:
        return self.advanced_net + self.paid


def _status(year: int, index: int) -> str:
    if year <= 2023:
        return "Đã quyết toán"
    if year == 2024:
        return "Đã nghiệm thu"
    return ("Đang triển khai", "Đã ký hợp đồng", "Đã phê duyệt")[index]


def build_rows(
    hb_communes: list[Any], vp_commune: Any, tax_codes: list[str]
) -> tuple[dict[str, list[list[Any]]], Expected]:
    """The sheets' data rows (headers without diacritics, as a clerk types them) and the Hòa Bình totals."""
    expected = Expected()
    sheets: dict[str, list[list[Any]]] = {
        k: [] for k in ("projects", "beneficiaries", "plan", "alloc", "money", "settle", "indic")
    }
    n = 0
    for year in YEARS:
        for index in range(4):
            n += 1
            hoa_binh = index < 3
            code = f"{'HBH' if hoa_binh else 'VPC'}-{year}-{index + 1:03d}"
            category, share = KINDS[index % 3]
            level = "KCĐP" if index % 2 == 0 else "KCQG"
            source = "kcdp" if level == "KCĐP" else "kcqg"
            total = (300 + 40 * n) * TR
            state = total * share // 100
            counterpart = total - state
            status = _status(year, index) if hoa_binh else "Đã quyết toán"
            commune = hb_communes[n % len(hb_communes)] if hoa_binh else vp_commune
            sheets["projects"].append([
                n, code, f"Đề án {code} hỗ trợ cơ sở CNNT", year, year, category, level, commune.name,
                "Hòa Bình" if hoa_binh else "Vĩnh Phúc", "Trung tâm Khuyến công tỉnh Hòa Bình",
                f"{n}/QĐ-SCT", f"10/03/{year}", total, status, f"05/04/{year}",
            ])  # fmt: skip
            row_plan = [
                code,
                year,
                state if source == "kcqg" else None,
                state if source == "kcdp" else None,
                counterpart,
            ]
            sheets["plan"].append(row_plan)
            sheets["alloc"].append([code, year, level, state, f"{n}/QĐ-GKP", f"15/03/{year}"])
            facility = tax_codes[n % len(tax_codes)]
            sheets["beneficiaries"].append([code, facility])
            trainees = 20 + n
            sheets["indic"].append(
                [code, "So hoc vien duoc dao tao", trainees, trainees if year <= 2024 else None]
            )
            advance = state * 70 // 100 // 1000 * 1000
            entries: list[tuple[str, int, str]] = []
            if status in ("Đã quyết toán", "Đã nghiệm thu"):
                entries = [
                    ("tạm ứng", advance, "01/05"),
                    ("thu hồi tạm ứng", advance, "20/11"),
                    ("thanh toán", state, "20/11"),
                ]
            elif status == "Đang triển khai":
                entries = [("tạm ứng", advance // 2, "01/05")]
            elif status == "Đã ký hợp đồng":
                entries = [("tạm ứng", state * 30 // 100 // 1000 * 1000, "10/05")]
            for k, (kind, amount, day) in enumerate(entries):
                sheets["money"].append([code, year, level, kind, amount, f"UNC-{n}-{k}", f"{day}/{year}"])
            actual = state - 2 * TR if status == "Đã quyết toán" else None
            if actual is not None:
                sheets["settle"].append([code, level, actual, f"{n}/QĐ-QT", f"15/01/{year + 1}"])
                sheets["settle"].append([code, "Doi ung", counterpart, f"{n}/QĐ-QT", f"15/01/{year + 1}"])
            if not hoa_binh:
                continue
            expected.projects += 1
            expected.decided += 1
            expected.add(source, state)
            expected.add("counterpart", counterpart)
            expected.approved += state
            expected.facilities.add(facility)
            if year <= 2024:
                expected.trainees += trainees
            for kind, amount, _day in entries:
                if kind == "tạm ứng":
                    expected.advanced_net += amount
                elif kind == "thu hồi tạm ứng":
                    expected.advanced_net -= amount
                else:
                    expected.paid += amount
            if actual is not None:
                expected.settled += actual + counterpart
    return sheets, expected


HEADERS = {
    "projects": ["STT", "Ma de an", "Ten de an", "Nam bat dau", "Nam ket thuc", "Noi dung", "Cap kinh phi",
                 "Xa thuc hien", "Tinh cu", "Don vi thuc hien", "So QD", "Ngay QD", "Tong kinh phi", "Trang thai",
                 "Ngay HD"],
    "beneficiaries": ["Ma de an", "MST"],
    "plan": ["Ma de an", "Nam", "KCQG", "KCDP", "Doi ung", "Tong cong"],
    "alloc": ["Ma de an", "Nam", "Nguon", "So tien", "So QD", "Ngay QD"],
    "money": ["Ma de an", "Nam", "Nguon", "Loai", "So tien", "So CT", "Ngay CT"],
    "settle": ["Ma de an", "Nguon", "So quyet toan", "So QD", "Ngay QD"],
    "indic": ["Ma de an", "Chi tieu", "Ke hoach", "Thuc hien"],
}  # fmt: skip
TABS = {
    "projects": "Danh sach de an",
    "beneficiaries": "Co so thu huong",
    "plan": "Ke hoach kinh phi",
    "alloc": "Kinh phi giao",
    "money": "Tam ung thanh toan",
    "settle": "Quyet toan",
    "indic": "Chi tieu",
}


def _sheet(ws: Any, title: str, header: list[str], rows: list[list[Any]]) -> None:
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(header))
    ws.append(["UBND TỈNH HÒA BÌNH – TRUNG TÂM KHUYẾN CÔNG"])
    ws.merge_cells(f"A1:{last}1")
    ws.append([title])
    ws.merge_cells(f"A2:{last}2")
    ws.append([])
    ws.append(header)
    for values in rows:
        ws.append(values)


def projects_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for key, tab in TABS.items():
        ws = book.create_sheet(tab)
        rows = sheets[key]
        if key == "plan":  # the total column is a SUM of the sources, as clerks do
            rows = [[*r[:5], f"=SUM(C{i}:E{i})"] for i, r in enumerate(rows, start=5)]
            rows.append(
                ["Tổng cộng", None, f"=SUM(C5:C{len(rows) + 4})", f"=SUM(D5:D{len(rows) + 4})", None, None]
            )
        _sheet(ws, f"BẢNG {tab.upper()} GIAI ĐOẠN 2021-2025", HEADERS[key], rows)
    book.save(path)


def facilities_workbook(path: Path, facilities: list[tuple[str, str, Any]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "DS co so"
    header = [
        "STT",
        "Ten co so",
        "Loai hinh",
        "MST",
        "Xa cu",
        "Huyen cu",
        "Tinh cu",
        "Nam TL",
        "So LD",
        "So LD nu",
    ]
    rows = [
        [i + 1, name, "HTX", tax, old.name, old.legacy_district.name, "Hòa Bình", f"15/03/{2005 + i}", 30, 12]
        for i, (name, tax, old) in enumerate(facilities)
    ]
    _sheet(ws, "DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN", header, rows)
    book.save(path)


def libreoffice_convert(sources: list[Path], outdir: Path) -> list[Path]:
    """Open and save each file with LibreOffice (formulas recalculated, values cached)."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    assert binary, "LibreOffice is needed (.ci/run installs libreoffice-calc-nogui)"
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            binary, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
            "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), *map(str, sources),
        ],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return [outdir / s.name for s in sources]
