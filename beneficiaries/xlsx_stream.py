"""A minimal, fast .xlsx writer for very long single-sheet exports (200,000+ facility rows).

xlsxwriter spends ~20 µs a cell in Python, about a minute for 200,000 rows × 18 columns; this writer
emits the sheet XML directly (inline strings, a handful of styles) into a zip stream, a few µs a
cell, in constant memory. Text cells are neutralised as core.exports does (no formula ever runs).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from core.exports import Column, neutralise

_INVALID_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Style ids in styles.xml below: 0 default, 1 integer, 2 money, 3 date, 4 header, 5 title.
_STYLE = {"int": 1, "money": 2, "date": 3}

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0 &quot;₫&quot;"/>'
    '<numFmt numFmtId="165" formatCode="dd/mm/yyyy"/></numFmts>'
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="13"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDCE6F1"/><bgColor indexed="64"/>'
    "</patternFill></fill>"
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
    'applyAlignment="1"><alignment wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _text(value: object) -> str:
    value = str(neutralise(value))
    if _INVALID_XML.search(value):
        value = _INVALID_XML.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _excel_date(value: dt.date) -> float:
    if isinstance(value, dt.datetime):
        value = value.replace(tzinfo=None)
        delta = value - dt.datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    return (value - dt.date(1899, 12, 30)).days


def write_sheet(
    target: IO[bytes],
    sheet_name: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
) -> int:
    """Write a one-sheet workbook (optional title row, bold frozen header); returns the data row count."""
    letters = [_letters(i) for i in range(len(columns))]
    kinds = [c.kind for c in columns]
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        name = _text(sheet_name[:31]).replace('"', "&quot;")
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        header_row = 3 if title else 1
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cols = "".join(
                f'<col min="{i + 1}" max="{i + 1}" width="{c.width}" customWidth="1"/>'
                for i, c in enumerate(columns)
            )
            head = [
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetViews><sheetView workbookViewId="0">'
                f'<pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" '
                'activePane="bottomLeft" state="frozen"/>'
                f"</sheetView></sheetViews><cols>{cols}</cols><sheetData>"
            ]
            if title:
                head.append(
                    f'<row r="1"><c r="A1" t="inlineStr" s="5"><is><t>{_text(title)}</t></is></c></row>'
                )
            cells = "".join(
                f'<c r="{letters[i]}{header_row}" t="inlineStr" s="4"><is><t>{_text(c.header)}</t></is></c>'
                for i, c in enumerate(columns)
            )
            head.append(f'<row r="{header_row}">{cells}</row>')
            sheet.write("".join(head).encode())
            buffer: list[str] = []
            number = header_row
            for row in rows:
                number += 1
                count += 1
                parts = [f'<row r="{number}">']
                for i, value in enumerate(row):
                    if value is None or value == "":
                        continue
                    ref = f"{letters[i]}{number}"
                    if isinstance(value, bool):
                        value = str(value)
                    if isinstance(value, (int, float)):
                        style = _STYLE.get(kinds[i], 0)
                        parts.append(
                            f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
                            if style
                            else f'<c r="{ref}"><v>{value}</v></c>'
                        )
                    elif isinstance(value, (dt.date, dt.datetime)):
                        parts.append(f'<c r="{ref}" s="3"><v>{_excel_date(value)}</v></c>')
                    else:
                        text = _text(value)
                        parts.append(
                            f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
                        )
                parts.append("</row>")
                buffer.append("".join(parts))
                if len(buffer) >= 2000:
                    sheet.write("".join(buffer).encode())
                    buffer.clear()
            buffer.append("</sheetData></worksheet>")
            sheet.write("".join(buffer).encode())
    return count
