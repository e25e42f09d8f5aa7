"""A guarded .xlsx reader: expat callbacks (no element tree is ever built) over size-counted zip parts.

Why not openpyxl: it builds a cell object per cell (~20 µs and ~500 bytes each) and trusts the
file's row numbers, column letters and shared-string indices; a 91 KB file of blank rows or a cell at
column AAAAAA then costs gigabytes. Here every part is read in 64 KB chunks through a counter, every
number in the file is checked before it is used, and only rows with content are kept.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from typing import IO, Any
from xml.etree.ElementTree import ParseError, XMLParser

from django.utils.translation import gettext as _

from .base import Limits, Row, SheetError, column_letter, is_blank, too_many_rows

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_C, _V, _F, _T, _IS, _RPH = (f"{_MAIN}{t}" for t in ("c", "v", "f", "t", "is", "rPh"))
_ROW, _MERGE, _SI = f"{_MAIN}row", f"{_MAIN}mergeCell", f"{_MAIN}si"
_REF = re.compile(r"([A-Z]{1,7})([0-9]{1,9})")
_MAX_TAG = 1024 * 1024  # no tag or text run may exceed this without a '<' (bounds expat's buffer)
_CHUNK = 64 * 1024
# Excel's built-in number formats that show dates.
_DATE_FORMAT_IDS = {14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58}
_READ_ERRORS = (
    ParseError,
    KeyError,
    ValueError,
    OSError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    OverflowError,
    LookupError,
)


def _broken() -> SheetError:
    return SheetError([_("Không đọc được tệp Excel: tệp hỏng hoặc không đúng định dạng .xlsx.")])


class _Budget:
    """Bytes unpacked so far, across every part of one archive."""

    def __init__(self, limit: int) -> None:
        self.used = 0
        self.limit = limit

    def spend(self, amount: int) -> None:
        self.used += amount
        if self.used > self.limit:
            raise SheetError(
                [
                    _("Tệp Excel khi giải nén lớn hơn %(mb)s MB; hãy chia nhỏ tệp.")
                    % {"mb": self.limit // (1024 * 1024)}
                ]
            )


def _feed(archive: zipfile.ZipFile, name: str, target: Any, budget: _Budget) -> None:
    """Parse one part with ``target``'s callbacks, in chunks, refusing DTDs and over-long tags."""
    parser = XMLParser(target=target)
    since_lt = 0
    tail = b""
    with archive.open(name) as part:
        while True:
            chunk = part.read(_CHUNK)
            if not chunk:
                break
            budget.spend(len(chunk))
            window = tail + chunk
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                raise _broken()
            tail = chunk[-16:]
            last = chunk.rfind(b"<")
            since_lt = since_lt + len(chunk) if last < 0 else len(chunk) - last - 1
            if since_lt > _MAX_TAG:
                raise _broken()
            parser.feed(chunk)
    parser.close()


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _parse_ref(ref: str, limits: Limits) -> tuple[int, int]:
    """(row number, column index) of ``B12``; SheetError past the column cap or for nonsense."""
    match = _REF.fullmatch(ref)
    if match is None:
        raise SheetError([_("Ô có địa chỉ không hợp lệ (“%(ref)s”).") % {"ref": ref[:20]}])
    letters, digits = match.groups()
    if len(letters) > 3 or _column_index(letters) >= limits.max_columns:
        raise SheetError(
            [
                _("Ô %(ref)s nằm ngoài giới hạn %(n)s cột (đến cột %(last)s).")
                % {"ref": ref[:20], "n": limits.max_columns, "last": column_letter(limits.max_columns - 1)}
            ]
        )
    return int(digits), _column_index(letters)


class _Collect:
    """Target that keeps a few attributes of chosen elements (small parts: workbook, rels, styles)."""

    def __init__(self, tags: set[str], limit: int = 100_000) -> None:
        self.tags = tags
        self.found: list[tuple[str, dict[str, str]]] = []
        self.limit = limit

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag in self.tags:
            if len(self.found) >= self.limit:
                raise _broken()
            self.found.append((tag, dict(attrib)))

    def end(self, tag: str) -> None:
        pass

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


class _Strings:
    """Target collecting the shared strings (rich-text runs joined, phonetic hints left out)."""

    def __init__(self, limits: Limits) -> None:
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.size = 0
        self.in_t = False
        self.in_phonetic = 0
        self.limits = limits

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == _T:
            self.in_t = True
        elif tag == _RPH:
            self.in_phonetic += 1
        elif tag == _SI:
            self.parts, self.size = [], 0

    def end(self, tag: str) -> None:
        if tag == _T:
            self.in_t = False
        elif tag == _RPH:
            self.in_phonetic -= 1
        elif tag == _SI:
            if len(self.strings) >= self.limits.max_strings:
                raise SheetError([_("Tệp Excel có quá nhiều chuỗi văn bản.")])
            self.strings.append("".join(self.parts))

    def data(self, text: str) -> None:
        if self.in_t and not self.in_phonetic:
            self.size += len(text)
            if self.size > self.limits.max_cell_chars:
                raise SheetError([_("Một ô có hơn %(n)s ký tự.") % {"n": self.limits.max_cell_chars}])
            self.parts.append(text)

    def close(self) -> None:
        pass


class _Sheet:
    """Target reading one worksheet into rows; every number it meets is checked before it is used."""

    def __init__(self, book: XlsxBook) -> None:
        self.book = book
        self.limits = book.limits
        self.rows: list[Row] = []
        self.merges: list[str] = []
        self.row: Row | None = None
        self.last_row = 0
        self.cell_col = 0
        self.cell_type = ""
        self.cell_style = 0
        self.text: list[str] = []
        self.text_size = 0
        self.value_text: str | None = None
        self.inline_text: list[str] | None = None
        self.has_formula = False
        self.capture = False
        self.in_phonetic = 0
        self.columns: dict[str, int] = {}  # column letters seen → index (checked once each)
        self.date_styles = book.date_styles

    # expat callbacks (hot: a few per cell, so tags are compared with precomputed constants) ------
    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == _C:
            self._start_cell(attrib)
        elif tag == _V:
            self.capture = True
            self.text, self.text_size = [], 0
        elif tag == _ROW:
            self._start_row(attrib)
        elif tag == _F:
            self.has_formula = True
        elif tag == _T:
            if self.inline_text is not None and not self.in_phonetic:
                self.capture = True
                self.text, self.text_size = [], 0
        elif tag == _IS:
            self.inline_text = []
        elif tag == _RPH:
            self.in_phonetic += 1
        elif tag == _MERGE:
            if len(self.merges) >= self.limits.max_merges:
                raise SheetError([_("Trang tính có quá nhiều ô gộp.")])
            self.merges.append(attrib.get("ref", "")[:40])

    def end(self, tag: str) -> None:
        if tag == _V:
            self.value_text = "".join(self.text) or None  # an empty <v/> holds no value
            self.capture = False
        elif tag == _C:
            self._end_cell()
        elif tag == _ROW:
            self.row = None
        elif tag == _T:
            if self.capture:
                if self.inline_text is not None:
                    self.inline_text.append("".join(self.text))
                self.capture = False
        elif tag == _RPH:
            self.in_phonetic -= 1

    def data(self, text: str) -> None:
        if self.capture:
            self.text_size += len(text)
            if self.text_size > self.limits.max_cell_chars:
                raise SheetError([_("Một ô có hơn %(n)s ký tự.") % {"n": self.limits.max_cell_chars}])
            self.text.append(text)

    def close(self) -> None:
        pass

    # helpers -----------------------------------------------------------------------------------
    def _start_row(self, attrib: dict[str, str]) -> None:
        raw = attrib.get("r")
        if raw is None:
            number = self.last_row + 1
        elif raw.isascii() and raw.isdigit() and len(raw) <= 9:
            number = int(raw)
        else:
            raise SheetError([_("Dòng có số thứ tự không hợp lệ (“%(r)s”).") % {"r": raw[:20]}])
        if number > self.limits.max_rows:
            raise too_many_rows(self.limits)
        if number <= self.last_row:
            raise SheetError([_("Các dòng của trang tính không theo thứ tự (dòng %(r)s).") % {"r": number}])
        self.last_row = number
        self.row = Row(number, [])
        self.cell_col = 0

    def _start_cell(self, attrib: dict[str, str]) -> None:
        if self.row is None:  # a cell outside any row: the file is not a worksheet we understand
            raise _broken()
        ref = attrib.get("r")
        if ref is None:
            column = self.cell_col
            if column >= self.limits.max_columns:
                raise SheetError(
                    [_("Dòng %(r)s có hơn %(n)s cột.") % {"r": self.row.number, "n": self.limits.max_columns}]
                )
        else:
            letters = ref.rstrip("0123456789")
            column = self.columns.get(letters, -1)
            if column < 0:
                _number, column = _parse_ref(ref, self.limits)
                self.columns[letters] = column
        self.cell_col = column + 1
        self.cell_type = attrib.get("t", "n")
        style = attrib.get("s")
        if style is None:
            self.cell_style = 0
        else:
            self.cell_style = int(style) if style.isascii() and style.isdigit() and len(style) < 7 else 0
        self.value_text = None
        self.inline_text = None
        self.has_formula = False

    def _end_cell(self) -> None:
        row = self.row
        if row is None:
            raise _broken()
        column = self.cell_col - 1
        raw = self.value_text
        if (
            self.cell_type == "n"
            and raw is not None
            and len(raw) < 19
            and self.cell_style not in self.date_styles
        ):
            try:
                value: Any = int(raw)
            except ValueError:
                value = self.book.cell_value("n", raw, None, 0)
        else:
            value = self.book.cell_value(self.cell_type, raw, self.inline_text, self.cell_style)
            if value is None and not self.has_formula:
                return
        book = self.book
        book.cells += 1
        if book.cells > self.limits.max_cells:
            book.count_cell()
        values = row.values
        if not values:
            self.rows.append(row)
        if column >= len(values):
            values.extend([None] * (column - len(values) + 1))
        values[column] = value
        if self.has_formula:
            row.formulas.add(column)
            if value is None:
                row.uncached.add(column)


class XlsxBook:
    """An uploaded workbook, opened with every limit in force; read sheets by name."""

    def __init__(self, stream: IO[bytes], limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.cells = 0
        try:
            stream.seek(0)
            self.archive = zipfile.ZipFile(stream)
            infos = self.archive.infolist()
        except _READ_ERRORS as exc:
            raise _broken() from exc
        if len(infos) > self.limits.max_parts:
            raise _broken()
        if any(info.flag_bits & 0x1 for info in infos):
            raise SheetError([_("Tệp Excel được đặt mật khẩu; hãy bỏ mật khẩu rồi tải lên lại.")])
        self.budget = _Budget(self.limits.max_unpacked)
        if sum(info.file_size for info in infos) > self.limits.max_unpacked:
            self.budget.spend(self.limits.max_unpacked + 1)
        self.names = {info.filename for info in infos}
        try:
            self._read_workbook()
            self._read_styles()
        except SheetError:
            raise
        except _READ_ERRORS as exc:
            raise _broken() from exc
        self._strings: list[str] | None = None

    # structure ---------------------------------------------------------------------------------
    def _read_workbook(self) -> None:
        book = _Collect({f"{_MAIN}sheet", f"{_MAIN}workbookPr"}, limit=1000)
        _feed(self.archive, "xl/workbook.xml", book, self.budget)
        rels = _Collect({f"{_PKG_REL}Relationship"}, limit=5000)
        _feed(self.archive, "xl/_rels/workbook.xml.rels", rels, self.budget)
        targets = {a.get("Id"): a.get("Target", "") for _t, a in rels.found}
        self.date1904 = any(
            a.get("date1904") in ("1", "true") for t, a in book.found if t == f"{_MAIN}workbookPr"
        )
        self.sheets: list[tuple[str, str]] = []
        for tag, attrib in book.found:
            if tag != f"{_MAIN}sheet":
                continue
            target = targets.get(attrib.get(f"{_REL}id"), "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if path in self.names:
                self.sheets.append((attrib.get("name", "")[:31], path))
        if not self.sheets:
            raise _broken()

    def _read_styles(self) -> None:
        self.date_styles: set[int] = set()
        if "xl/styles.xml" not in self.names:
            return
        styles = _Styles()
        _feed(self.archive, "xl/styles.xml", styles, self.budget)
        custom = {fid: _is_date_format(code) for fid, code in styles.formats.items()}
        for index, format_id in enumerate(styles.xfs):
            if format_id in _DATE_FORMAT_IDS or custom.get(format_id):
                self.date_styles.add(index)

    def sheet_names(self) -> list[str]:
        return [name for name, _path in self.sheets]

    def shared_strings(self) -> list[str]:
        if self._strings is None:
            target = _Strings(self.limits)
            if "xl/sharedStrings.xml" in self.names:
                try:
                    _feed(self.archive, "xl/sharedStrings.xml", target, self.budget)
                except SheetError:
                    raise
                except _READ_ERRORS as exc:
                    raise _broken() from exc
            self._strings = target.strings
        return self._strings

    # cells -------------------------------------------------------------------------------------
    def count_cell(self) -> None:
        if self.cells < self.limits.max_cells:
            self.cells += 1
        else:
            raise SheetError(
                [
                    _("Tệp có hơn %(n)s ô dữ liệu; hãy chia nhỏ tệp.")
                    % {"n": f"{self.limits.max_cells:,}".replace(",", ".")}
                ]
            )

    def cell_value(self, kind: str, raw: str | None, inline: list[str] | None, style: int) -> Any:
        if kind == "s":
            if raw is None:
                return None
            strings = self.shared_strings()
            raw = raw.strip()
            if not (raw.isascii() and raw.isdigit()) or int(raw) >= len(strings):
                raise SheetError(
                    [_("Ô tham chiếu tới chuỗi văn bản không tồn tại (chỉ số “%(i)s”).") % {"i": raw[:20]}]
                )
            return strings[int(raw)]
        if kind == "inlineStr":
            return "".join(inline) if inline is not None else raw
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return None if raw is None else raw.strip() == "1"
        if raw is None:
            return None
        if kind == "d":
            try:
                return dt.date.fromisoformat(raw.strip()[:10])
            except ValueError:
                return raw
        return self._number(raw, style)

    def _number(self, raw: str, style: int) -> Any:
        text = raw.strip()
        try:
            value = float(text)
        except ValueError:
            return raw
        if value != value or value in (float("inf"), float("-inf")):
            return raw
        if style in self.date_styles and 0 < value < 2958466:
            base = dt.date(1904, 1, 1) if self.date1904 else dt.date(1899, 12, 30)
            return base + dt.timedelta(days=int(value))
        if value.is_integer() and abs(value) < 1e18:
            return int(value)
        return value

    # sheets ------------------------------------------------------------------------------------
    def rows(self, name: str | None = None) -> list[Row]:
        """The rows with content of sheet ``name`` (the first sheet if None), merged ranges filled in."""
        path = self.sheets[0][1] if name is None else dict(self.sheets).get(name)
        if path is None:
            raise SheetError([_("Không có trang tính “%(name)s”.") % {"name": name}])
        target = _Sheet(self)
        try:
            _feed(self.archive, path, target, self.budget)
        except SheetError:
            raise
        except _READ_ERRORS as exc:
            raise _broken() from exc
        self.merges = target.merges
        self._fill_merges(target.rows, target.merges)
        return target.rows

    def _fill_merges(self, rows: list[Row], merges: list[str]) -> None:
        """Copy each merged range's top-left value into its other cells (rows that exist only)."""
        import bisect

        numbers = [r.number for r in rows]
        for ref in merges:
            first, _sep, last = ref.partition(":")
            if not last:
                continue
            top, left = _parse_ref(first, self.limits)
            bottom, right = _parse_ref(last, self.limits)
            bottom = min(bottom, self.limits.max_rows)
            start = bisect.bisect_left(numbers, top)
            if start >= len(rows) or rows[start].number != top:
                continue
            value = rows[start].get(left)
            if is_blank(value):
                continue
            stop = bisect.bisect_right(numbers, bottom)
            for row in rows[start:stop]:
                for column in range(left, right + 1):
                    if column == left and row.number == top:
                        continue
                    if is_blank(row.get(column)):
                        self.count_cell()
                        if column >= len(row.values):
                            row.values.extend([None] * (column - len(row.values) + 1))
                        row.values[column] = value
                        row.merged.add(column)


class _Styles:
    """Target collecting custom number formats and the number format of each cell style (cellXfs)."""

    def __init__(self) -> None:
        self.formats: dict[int, str] = {}
        self.xfs: list[int] = []
        self.in_xfs = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == f"{_MAIN}numFmt":
            fid = attrib.get("numFmtId", "")
            if fid.isascii() and fid.isdigit() and len(self.formats) < 10_000:
                self.formats[int(fid)] = attrib.get("formatCode", "")[:200]
        elif tag == f"{_MAIN}cellXfs":
            self.in_xfs = True
        elif tag == f"{_MAIN}xf" and self.in_xfs:
            if len(self.xfs) >= 100_000:
                raise _broken()
            fid = attrib.get("numFmtId", "0")
            self.xfs.append(int(fid) if fid.isascii() and fid.isdigit() and len(fid) < 7 else 0)

    def end(self, tag: str) -> None:
        if tag == f"{_MAIN}cellXfs":
            self.in_xfs = False

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass


def _is_date_format(code: str) -> bool:
    """True for a custom number format that shows a date (d, m with y, or y outside quotes/brackets)."""
    cleaned = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    return "y" in cleaned or "d" in cleaned
