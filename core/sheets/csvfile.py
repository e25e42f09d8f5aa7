"""CSV files as clerks save them: UTF-8 with or without BOM, UTF-16, Windows-1258 or Windows-1252.

Excel on a Vietnamese Windows saves "CSV" in the ANSI code page (1258); "Unicode text" is UTF-16 with
tabs; LibreOffice and Google Sheets write UTF-8. The two one-byte code pages decode almost any bytes,
so the choice between them is scored on what each decoding produces: 1258 wins when its combining
tone marks land on vowels and its ă/ơ/ư/đ appear, 1252 when its text looks like Latin-1 Vietnamese.
Anything else (binary, another script's encoding) answers "không đọc được bảng mã".
"""

from __future__ import annotations

import csv
import io
import unicodedata

from django.utils.translation import gettext as _

from .base import Limits, Row, SheetError, too_many_rows

_VOWELS = set("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")
# Bytes where Windows-1258 and Windows-1252 differ in letters a clerk's file could hold.
_DIFFERENT = bytes([0xC3, 0xCC, 0xD0, 0xD2, 0xD5, 0xDD, 0xDE, 0xE3, 0xEC, 0xF0, 0xF2, 0xF5, 0xFD])
_LATIN1_VIETNAMESE = set("ãìòõýÃÌÒÕÝ")
_UNLIKELY_1252 = set("ÐðÞþ")
_VIETNAMESE_MARKS = {"\u0300", "\u0301", "\u0302", "\u0303", "\u0306", "\u0309", "\u031b", "\u0323"}
_PUNCTUATION = set("“”‘’–—…•·°«»₫€©®™×÷§¶ ")


def _is_vietnamese_letter(char: str) -> bool:
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    letter = (base.isascii() and base.isalpha()) or base in "đĐ"
    return letter and all(m in _VIETNAMESE_MARKS for m in marks)


def _plausible(text: str) -> bool:
    """Most non-ASCII characters of a one-byte decoding must be Vietnamese letters or punctuation."""
    others = [c for c in text[:65536] if not c.isascii() and c not in _PUNCTUATION]
    foreign = sum(1 for c in others if not unicodedata.combining(c) and not _is_vietnamese_letter(c))
    return foreign * 10 <= len(others)


def _unreadable() -> SheetError:
    return SheetError(
        [_("Tệp CSV: không đọc được bảng mã. Hãy lưu lại tệp dạng “CSV UTF-8” rồi tải lên lại.")]
    )


def _score_1258(text: str) -> int:
    """Combining tone marks after a vowel count for (Vietnamese Windows writes most tones so), stray
    marks against; ă ơ ư đ count only beside such marks (alone they are as likely 1252's ã õ ý ð)."""
    combos = stray = letters = 0
    previous = ""
    for char in text:
        if unicodedata.combining(char):
            if previous in _VOWELS:
                combos += 1
            else:
                stray += 1
        else:
            if char in "ăĂơƠưƯđĐ":
                letters += 1
            previous = char
    return 2 * combos + (letters if combos else 0) - 3 * stray


def _score_1252(text: str) -> int:
    return sum(1 for c in text if c in _LATIN1_VIETNAMESE) - 3 * sum(1 for c in text if c in _UNLIKELY_1252)


def _utf16_without_bom(raw: bytes) -> str | None:
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def decode_csv(raw: bytes) -> tuple[str, str]:
    """(text, encoding name) of a CSV file's bytes, or SheetError "không đọc được bảng mã"."""
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in raw[:4096]:
        guess = _utf16_without_bom(raw)
        if guess is None:
            raise _unreadable()
        candidates = [guess]
    else:
        candidates = ["utf-8"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "utf-8":
                break
            raise _unreadable() from None
        return _checked(text), encoding
    # One-byte code pages: both decode; score what each produces.
    decoded: dict[str, str] = {}
    for encoding in ("cp1258", "cp1252"):
        try:
            decoded[encoding] = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    if not decoded:
        raise _unreadable()
    if len(decoded) == 1 or not any(b in raw for b in _DIFFERENT):
        encoding, text = next(iter(decoded.items()))
    else:
        s1258, s1252 = _score_1258(decoded["cp1258"]), _score_1252(decoded["cp1252"])
        encoding = "cp1258" if s1258 > s1252 else "cp1252"
        text = decoded[encoding]
    if encoding == "cp1258":
        text = unicodedata.normalize("NFC", text)
    if not _plausible(text):
        raise _unreadable()
    return _checked(text), encoding


def _checked(text: str) -> str:
    """Refuse text holding control characters (binary content that happened to decode)."""
    sample = text[:65536]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n")
    if controls:
        raise _unreadable()
    return text


ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1258": "Windows-1258",
    "cp1252": "Windows-1252",
}


def read_csv_rows(raw: bytes, limits: Limits | None = None) -> tuple[list[Row], str]:
    """(rows with content, encoding label); blank lines count towards the row limit."""
    limits = limits or Limits()
    text, encoding = decode_csv(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=lambda d: (first_line.count(d), d == ","))
    rows: list[Row] = []
    cells = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=1):
            if reader.line_num > limits.max_rows:
                raise too_many_rows(limits)
            while values and not values[-1].strip():
                values.pop()
            if not values:
                continue
            if len(values) > limits.max_columns:
                raise SheetError([_("Dòng %(r)s có hơn %(n)s cột.") % {"r": number, "n": limits.max_columns}])
            if any(len(v) > limits.max_cell_chars for v in values):
                raise SheetError([_("Một ô có hơn %(n)s ký tự.") % {"n": limits.max_cell_chars}])
            cells += len(values)
            if cells > limits.max_cells:
                raise SheetError([_("Tệp có quá nhiều ô dữ liệu; hãy chia nhỏ tệp.")])
            # A CSV holds no computed values: "=SUM(…)" is the formula's text, never its result.
            formulas = {i for i, v in enumerate(values) if v.startswith("=")}
            rows.append(Row(number, list(values), formulas, set(formulas)))
    except csv.Error as exc:
        raise SheetError([_("Tệp CSV sai cấu trúc (dòng %(r)s).") % {"r": reader.line_num}]) from exc
    return rows, ENCODING_LABELS.get(encoding, encoding)
