"""Reading .xlsx (the sheet XML, streamed) and .csv rows, and mapping the header to the template."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _

from .spec import COLUMNS, FileStructureError, header_key, header_label

# --- Reading -------------------------------------------------------------------------------------


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The part name of the workbook's first sheet (workbook.xml order, resolved through its rels)."""
    from xml.etree import ElementTree

    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = workbook.find(f"{_NS}sheets/{_NS}sheet")
    rel_id = sheet.get(f"{_REL_NS}id") if sheet is not None else None
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    from xml.etree.ElementTree import iterparse

    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as part:
        for _event, element in iterparse(part):
            if element.tag == f"{_NS}si":
                # Rich text: the runs' texts, without phonetic (rPh) hints.
                texts = [t.text or "" for t in element.iter(f"{_NS}t") if t is not None]
                phonetic = {id(t) for r in element.iter(f"{_NS}rPh") for t in r.iter(f"{_NS}t")}
                if phonetic:
                    texts = [t.text or "" for t in element.iter(f"{_NS}t") if id(t) not in phonetic]
                strings.append("".join(texts))
                element.clear()
    return strings


def _number(text: str) -> int | float:
    try:
        value = float(text)
    except ValueError:
        return text  # type: ignore[return-value]
    return int(value) if value.is_integer() and "e" not in text.lower() else value


def read_xlsx(stream: IO[bytes]) -> Iterator[tuple[int, list[Any], list[int]]]:
    """(row number, values, columns holding formulas) for each row of the first sheet.

    The sheet XML is read with ElementTree's C parser (openpyxl costs ~20 µs a cell); merged cells,
    listed after the rows, raise FileStructureError once the sheet has been read.
    """
    from xml.etree.ElementTree import ParseError, iterparse

    stream.seek(0)
    try:
        archive = zipfile.ZipFile(stream)
        path = _first_sheet_path(archive)
        strings = _shared_strings(archive)
        part = archive.open(path)
    except (KeyError, zipfile.BadZipFile, ParseError, AttributeError) as exc:
        raise FileStructureError(
            [_("Không đọc được tệp Excel: tệp hỏng hoặc không đúng định dạng .xlsx.")]
        ) from exc
    merged: list[str] = []
    c_tag, row_tag, v_tag, f_tag = f"{_NS}c", f"{_NS}row", f"{_NS}v", f"{_NS}f"
    is_tag, t_tag, merge_tag = f"{_NS}is", f"{_NS}t", f"{_NS}mergeCell"
    values: list[Any] = []
    formulas: list[int] = []
    next_row = 1
    try:
        with part:
            for _event, element in iterparse(part):
                tag = element.tag
                if tag == c_tag:
                    ref = element.get("r")
                    match = _CELL_REF.fullmatch(ref) if ref else None
                    column = _column_index(match.group(1)) if match else len(values)
                    kind = element.get("t")
                    if element.find(f_tag) is not None:
                        formulas.append(column)
                    raw = element.findtext(v_tag)
                    if kind == "s":
                        value: Any = strings[int(raw)] if raw is not None else None
                    elif kind == "inlineStr":
                        node = element.find(is_tag)
                        value = "".join(t.text or "" for t in node.iter(t_tag)) if node is not None else None
                    elif kind in ("str", "e"):
                        value = raw
                    elif kind == "b":
                        value = raw == "1"
                    else:
                        value = _number(raw) if raw is not None else None
                    if column >= len(values):
                        values.extend([None] * (column - len(values) + 1))
                    values[column] = value
                    element.clear()
                elif tag == row_tag:
                    number = int(element.get("r") or next_row)
                    yield number, values, formulas
                    next_row = number + 1
                    values, formulas = [], []
                    element.clear()
                elif tag == merge_tag:
                    merged.append(element.get("ref", ""))
    except ParseError as exc:
        raise FileStructureError(
            [_("Không đọc được tệp Excel: tệp hỏng hoặc không đúng định dạng .xlsx.")]
        ) from exc
    if merged:
        raise FileStructureError(
            [
                _("Tệp có ô gộp (%(ranges)s). Hãy bỏ gộp ô (Unmerge) và điền đủ giá trị cho từng dòng.")
                % {"ranges": ", ".join(sorted(merged)[:10])}
            ]
        )


def read_csv(stream: IO[bytes]) -> Iterator[tuple[int, list[Any], list[int]]]:
    stream.seek(0)
    raw = stream.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileStructureError([_("Tệp CSV phải được lưu với bảng mã UTF-8.")]) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for number, values in enumerate(reader, start=1):
        formulas = [i for i, v in enumerate(values) if v.startswith("=")]
        yield number, list(values), formulas


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def map_headers(header: list[Any]) -> dict[str, int]:
    """Column key → index, or FileStructureError naming missing, extra and misspelt headers."""
    expected = {header_key(header_label(c)): c for c in COLUMNS}
    positions: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for index, value in enumerate(header):
        if blank(value):
            continue
        key = header_key(value)
        if key in expected and expected[key].key not in positions:
            positions[expected[key].key] = index
        else:
            unknown.append((index, str(value).strip()))
    missing = [c for c in COLUMNS if c.key not in positions]
    messages = []
    for index, text in unknown:
        letter = column_letter(index)
        template_col = COLUMNS[index] if index < len(COLUMNS) else None
        if template_col is not None and template_col in missing:
            messages.append(
                _("Cột %(col)s: tiêu đề “%(got)s” không đúng mẫu, phải là “%(want)s”.")
                % {"col": letter, "got": text, "want": header_label(template_col)}
            )
            missing.remove(template_col)
        else:
            messages.append(
                _("Cột %(col)s: “%(got)s” là cột thừa, không có trong mẫu. Hãy xóa cột này.")
                % {"col": letter, "got": text}
            )
    if missing:
        messages.append(
            _("Thiếu cột: %(cols)s. Hãy dùng tệp mẫu tải từ trang nhập.")
            % {"cols": ", ".join(f"“{header_label(c)}”" for c in missing)}
        )
    if messages:
        raise FileStructureError(messages)
    return positions


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
