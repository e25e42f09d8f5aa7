"""Hostile spreadsheets, built byte by byte (a probe found each of these in the wild or made it).

Shared by tests/core/test_sheets.py (each is refused with a Vietnamese message) and
benchmarks/hostile.py (each is refused within the memory and time budget).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
_WORKBOOK = (
    f'<?xml version="1.0"?><workbook {NS} '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def workbook(
    sheet_body: str | Iterable[str],
    *,
    strings: str | Iterable[str] | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """A minimal .xlsx whose first sheet's <sheetData> holds ``sheet_body`` (streamed into the zip)."""
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _RELS)
        _stream(
            archive,
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><worksheet {NS}>',
            sheet_body,
            "</worksheet>",
        )
        if strings is not None:
            _stream(archive, "xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {NS}>', strings, "</sst>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return target.getvalue()


def _stream(archive: zipfile.ZipFile, name: str, head: str, body: str | Iterable[str], tail: str) -> None:
    with archive.open(name, "w", force_zip64=True) as part:
        part.write(head.encode())
        for piece in [body] if isinstance(body, str) else body:
            part.write(piece.encode())
        part.write(tail.encode())


def _sheet(rows: Iterable[str]) -> Iterable[str]:
    yield "<sheetData>"
    yield from rows
    yield "</sheetData>"


def blank_rows() -> bytes:
    """A million numbered blank rows: ~100 KB on disk (the probe's 91 KB file took 2.2 GB)."""
    return workbook(
        _sheet("".join(f'<row r="{n}"/>' for n in range(s, s + 10_000)) for s in range(1, 1_048_577, 10_000))
    )


def blank_rows_unnumbered() -> bytes:
    """A million <row/> elements without numbers."""
    return workbook(_sheet("<row/>" * 10_000 for _ in range(105)))


def last_row_only() -> bytes:
    """One cell on row 1,048,576: nothing in between, but the row count still counts."""
    return workbook('<sheetData><row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>')


def far_column() -> bytes:
    """A cell at column AAAAAA (the probe's 321-million-entry list)."""
    return workbook('<sheetData><row r="1"><c r="AAAAAA1"><v>1</v></c></row></sheetData>')


def column_past_cap() -> bytes:
    """A cell at XFD, Excel's last column: valid Excel, far past any import's columns."""
    return workbook('<sheetData><row r="1"><c r="XFD1"><v>1</v></c></row></sheetData>')


def row_number_not_a_number() -> bytes:
    return workbook('<sheetData><row r="abc"><c r="A1"><v>1</v></c></row></sheetData>')


def rows_out_of_order() -> bytes:
    return workbook('<sheetData><row r="5"><c r="A5"><v>1</v></c></row><row r="2"/></sheetData>')


def shared_string_out_of_range() -> bytes:
    return workbook(
        '<sheetData><row r="1"><c r="A1" t="s"><v>999999999</v></c></row></sheetData>',
        strings="<si><t>một</t></si>",
    )


def shared_string_not_a_number() -> bytes:
    return workbook(
        '<sheetData><row r="1"><c r="A1" t="s"><v>-1</v></c></row></sheetData>',
        strings="<si><t>một</t></si>",
    )


def unpacked_bomb() -> bytes:
    """200 MB of spaces inside one cell's worth of XML, about 200 KB packed."""
    return workbook(_sheet(" " * 1_000_000 for _ in range(200)))


def long_text() -> bytes:
    """A single shared string of 10 million characters."""
    return workbook(
        '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>',
        strings=["<si><t>", *("x" * 100_000 for _ in range(100)), "</t></si>"],
    )


def long_attribute() -> bytes:
    """A 20 MB attribute value: expat would buffer the whole tag."""
    return workbook(
        ['<sheetData><row r="1" spans="', *("1" * 1_000_000 for _ in range(20)), '"/></sheetData>']
    )


def entity_expansion() -> bytes:
    """The 'billion laughs' DTD in the sheet XML."""
    dtd = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">' for i in range(9)
        )
        + "]>"
    )
    body = '<?xml version="1.0"?>' + dtd + f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr">'
    body += "<is><t>&lol8;</t></is></c></row></sheetData></worksheet>"
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _RELS)
        archive.writestr("xl/worksheets/sheet1.xml", body)
    return target.getvalue()


def many_cells() -> bytes:
    """1.5 million one-digit cells in 25,000 rows of 60 columns (within the row and column caps)."""

    def rows() -> Iterable[str]:
        cells = "".join(f"<c><v>{i % 10}</v></c>" for i in range(60))
        for n in range(1, 25_001):
            yield f'<row r="{n}">{cells}</row>'

    return workbook(_sheet(rows()))


def many_strings() -> bytes:
    """Three million empty shared strings, and a cell that makes the reader load them."""
    return workbook(
        '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>',
        strings=("<si/>" * 10_000 for _ in range(300)),
    )


def many_merges() -> bytes:
    return workbook(
        [
            "<sheetData/><mergeCells>",
            *(f'<mergeCell ref="A{n}:B{n}"/>' for n in range(1, 50_001)),
            "</mergeCells>",
        ]
    )


def huge_merge() -> bytes:
    """Twenty-five thousand one-cell rows under one merge of the whole sheet."""
    rows = (f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 25_001))
    return workbook(
        ["<sheetData>", *rows, '</sheetData><mergeCells><mergeCell ref="A1:CV25000"/></mergeCells>']
    )


def many_parts() -> bytes:
    return workbook("<sheetData/>", extra={f"xl/media/p{i}.xml": b"" for i in range(5_000)})


def not_a_zip() -> bytes:
    return b"PK\x03\x04" + b"\x00" * 2000


def truncated() -> bytes:
    return workbook('<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>')[:-40]


HOSTILE: dict[str, Callable[[], bytes]] = {
    "blank_rows": blank_rows,
    "blank_rows_unnumbered": blank_rows_unnumbered,
    "last_row_only": last_row_only,
    "far_column": far_column,
    "column_past_cap": column_past_cap,
    "row_number_not_a_number": row_number_not_a_number,
    "rows_out_of_order": rows_out_of_order,
    "shared_string_out_of_range": shared_string_out_of_range,
    "shared_string_not_a_number": shared_string_not_a_number,
    "unpacked_bomb": unpacked_bomb,
    "long_text": long_text,
    "long_attribute": long_attribute,
    "entity_expansion": entity_expansion,
    "many_cells": many_cells,
    "many_strings": many_strings,
    "many_merges": many_merges,
    "huge_merge": huge_merge,
    "many_parts": many_parts,
    "not_a_zip": not_a_zip,
    "truncated": truncated,
}
