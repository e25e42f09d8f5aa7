"""Amounts in Vietnamese words: every reading rule, with its regional variants."""

from __future__ import annotations

import pytest

from core.numwords import NORTH, SOUTH, Style, number_in_words, vnd_in_words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (1, "một"),
        (4, "bốn"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),  # một after mười, never mốt
        (14, "mười bốn"),  # bốn after mười, tư only after mươi
        (15, "mười lăm"),  # lăm after a ten
        (20, "hai mươi"),
        (21, "hai mươi mốt"),  # mốt after mươi
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (91, "chín mươi mốt"),
        (100, "một trăm"),
        (101, "một trăm linh một"),  # linh for a zero ten
        (104, "một trăm linh bốn"),
        (105, "một trăm linh năm"),  # năm after linh, never lăm
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1_000, "một nghìn"),
        (1_001, "một nghìn không trăm linh một"),  # a following group is read in full: không trăm
        (1_010, "một nghìn không trăm mười"),
        (1_050, "một nghìn không trăm năm mươi"),
        (1_100, "một nghìn một trăm"),
        (10_000, "mười nghìn"),
        (15_000, "mười lăm nghìn"),
        (21_000, "hai mươi mốt nghìn"),
        (105_000, "một trăm linh năm nghìn"),
        (1_000_000, "một triệu"),
        (1_000_005, "một triệu không trăm linh năm"),  # a group of zeros is skipped
        (1_005_000, "một triệu không trăm linh năm nghìn"),
        (2_000_500, "hai triệu năm trăm"),
        (1_000_000_000, "một tỷ"),
        (1_000_000_001, "một tỷ không trăm linh một"),
        (1_001_000_000, "một tỷ không trăm linh một triệu"),
        (6_610_000_000, "sáu tỷ sáu trăm mười triệu"),
        (1_000_000_000_000, "một nghìn tỷ"),
        (1_000_000_000_000_000, "một triệu tỷ"),
        (10**18, "một tỷ tỷ"),  # the scales repeat past a billion
        (25 * 10**18, "hai mươi lăm tỷ tỷ"),
        (
            999_999_999,
            "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
        ),
        (-5, "âm năm"),
    ],
)
def test_number_in_words(n, words):
    assert number_in_words(n) == words


def test_the_seed_amount_as_papers_write_it():
    assert vnd_in_words(6_610_000_000) == "Sáu tỷ sáu trăm mười triệu đồng"
    assert vnd_in_words(0) == "Không đồng"
    assert vnd_in_words(350_000_000) == "Ba trăm năm mươi triệu đồng"


@pytest.mark.parametrize(
    ("n", "north", "south"),
    [
        (105, "một trăm linh năm", "một trăm lẻ năm"),
        (1_000, "một nghìn", "một ngàn"),
        (1_004, "một nghìn không trăm linh bốn", "một ngàn không trăm lẻ bốn"),
    ],
)
def test_regional_styles(n, north, south):
    assert number_in_words(n, NORTH) == north
    assert number_in_words(n, SOUTH) == south


def test_nham_and_bon_variants():
    style = Style(five_after_tens="nhăm", four_after_tens="bốn")
    assert number_in_words(25, style) == "hai mươi nhăm"
    assert number_in_words(15, style) == "mười lăm"  # nhăm only after mươi
    assert number_in_words(34, style) == "ba mươi bốn"


def test_words_read_back_to_the_number():
    """The words are unambiguous: a small reader turns them back into the number."""
    digits = {
        w: i for i, w in enumerate(["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"])
    }
    digits |= {"mốt": 1, "tư": 4, "lăm": 5}

    def below_thousand(ws: list[str]) -> int:
        n = 0
        if "trăm" in ws:
            k = ws.index("trăm")
            n, ws = digits[ws[k - 1]] * 100, ws[k + 1 :]
        if ws and ws[0] == "linh":
            return n + digits[ws[1]]
        if ws and ws[0] == "mười":
            n, ws = n + 10, ws[1:]
        elif "mươi" in ws:
            n, ws = n + digits[ws[0]] * 10, ws[2:]
        return n + (digits[ws[0]] if ws else 0)

    def below_billion(ws: list[str]) -> int:
        n = 0
        for scale, mult in (("triệu", 10**6), ("nghìn", 1000)):
            if scale in ws:
                k = ws.index(scale)
                n, ws = n + below_thousand(ws[:k]) * mult, ws[k + 1 :]
        return n + (below_thousand(ws) if ws else 0)

    def read(ws: list[str]) -> int:
        if "tỷ" in ws:
            k = len(ws) - 1 - ws[::-1].index("tỷ")
            return read(ws[:k]) * 10**9 + below_billion(ws[k + 1 :])
        return below_billion(ws)

    for n in [
        7,
        19,
        45,
        101,
        999,
        1_234,
        10_205,
        305_071,
        4_000_004,
        12_345_678,
        6_610_000_000,
        70_000_000_091,
        10**18 + 15,
        1_000_001_000_005,
    ]:
        assert read(number_in_words(n).split()) == n, (n, number_in_words(n))


def test_refuses_what_is_not_an_integer():
    with pytest.raises(TypeError):
        number_in_words(1.5)  # type: ignore[arg-type]  # the wrong type on purpose: refused at run time
    with pytest.raises(TypeError):
        number_in_words(True)
