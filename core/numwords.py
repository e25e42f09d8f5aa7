"""Amounts in Vietnamese words, as Decree 30/2020 papers and vouchers write them.

``vnd_in_words(6_610_000_000)`` → ``"Sáu tỷ sáu trăm mười triệu đồng"``. The reading rules:

- inside a group of three digits: ``linh`` (or ``lẻ``) for a zero ten before a unit (``một trăm linh
  năm``), ``mười`` for ten and ``mươi`` for the other tens, ``mốt`` for a one after ``mươi``
  (``hai mươi mốt``) but ``một`` after ``mười``, ``lăm`` (or ``nhăm``) for a five after a ten
  (``mười lăm``, ``hai mươi lăm``) but ``năm`` after ``linh``, ``tư`` for a four after ``mươi``
  (``hai mươi tư``) but ``bốn`` after ``mười``;
- a group that follows another is read in full: ``không trăm`` (``một nghìn không trăm linh một``);
  a group of zeros is skipped (``một triệu không trăm linh năm``);
- scales ``nghìn`` (or ``ngàn``), ``triệu``, ``tỷ``, and past a billion the words repeat:
  ``nghìn tỷ``, ``triệu tỷ``, ``tỷ tỷ``.
"""

from __future__ import annotations

from dataclasses import dataclass

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
BILLION = 10**9


@dataclass(frozen=True)
class Style:
    """Regional choices: ``linh``/``lẻ``, ``nghìn``/``ngàn``, ``lăm``/``nhăm``, ``tư``/``bốn``."""

    zero_ten: str = "linh"
    thousand: str = "nghìn"
    five_after_tens: str = "lăm"
    four_after_tens: str = "tư"


NORTH = Style()
SOUTH = Style(zero_ten="lẻ", thousand="ngàn")


def _group(n: int, full: bool, style: Style) -> list[str]:
    """Words for 1 ≤ n ≤ 999; ``full`` reads the hundreds even when zero (a group after another)."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words += [style.zero_ten, DIGITS[units]]
        elif units:
            words.append(DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units == 5:
            words.append("lăm")
        elif units:
            words.append(DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 4:
            words.append(style.four_after_tens)
        elif units == 5:
            words.append(style.five_after_tens)
        elif units:
            words.append(DIGITS[units])
    return words


def _words(n: int, leading: bool, style: Style) -> list[str]:
    """Words for n ≥ 1; ``leading`` is False when something was already read before this part."""
    if n >= BILLION:
        high, low = divmod(n, BILLION)
        above = [*_words(high, leading, style), "tỷ"]
        if low:
            above += _words(low, False, style)
        return above
    words: list[str] = []
    started = not leading
    for value, scale in ((n // 10**6, "triệu"), (n // 1000 % 1000, style.thousand), (n % 1000, "")):
        if value == 0:
            continue
        words += _group(value, started, style)
        if scale:
            words.append(scale)
        started = True
    return words


def number_in_words(n: int, style: Style = NORTH) -> str:
    """An integer in lower-case Vietnamese words (``-5`` → ``âm năm``)."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("number_in_words takes an int")
    if n == 0:
        return DIGITS[0]
    prefix = "âm " if n < 0 else ""
    return prefix + " ".join(_words(abs(n), True, style))


def vnd_in_words(amount: int, style: Style = NORTH) -> str:
    """An amount of đồng in words, capitalised, as written on papers: ``Sáu tỷ … đồng``."""
    text = number_in_words(amount, style)
    return f"{text[0].upper()}{text[1:]} đồng"
