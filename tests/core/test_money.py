from fractions import Fraction

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from core.money import MoneyParseError, apportion, format_vnd, format_vnd_words, parse_vnd


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6.610.000.000", 6_610_000_000),
        ("6610000000", 6_610_000_000),
        ("6 610 000 000", 6_610_000_000),
        ("6,61 tỷ", 6_610_000_000),
        ("6,61 tỉ", 6_610_000_000),
        ("350 triệu", 350_000_000),
        ("35tr", 35_000_000),
        ("1.500.000 ₫", 1_500_000),
        ("1.500.000 đồng", 1_500_000),
        ("", None),
        (None, None),
    ],
)
def test_parse_vnd_accepts_what_staff_type(text, expected):
    assert parse_vnd(text) == expected


@pytest.mark.parametrize("text", ["abc", "1,5", "12.34", "7 đô", "1.2.3"])
def test_parse_vnd_rejects_nonsense(text):
    with pytest.raises(MoneyParseError):
        parse_vnd(text)


@pytest.mark.parametrize(
    ("amount", "full", "words"),
    [
        (6_610_000_000, "6.610.000.000 ₫", "6,61 tỷ đồng"),
        (350_000_000, "350.000.000 ₫", "350 triệu đồng"),
        (1_436_000_000_000, "1.436.000.000.000 ₫", "1436 tỷ đồng"),
        (0, "0 ₫", "0 đồng"),
        (-2_500_000, "-2.500.000 ₫", "-2,5 triệu đồng"),
    ],
)
def test_money_formats(amount, full, words):
    assert format_vnd(amount) == full
    assert format_vnd_words(amount) == words


def test_template_filters_render_money_and_dates():
    import datetime as dt

    out = Template("{{ a|vnd }}|{{ a|vnd_words }}|{{ b|vnd_words }}|{{ d|dmy }}|{{ n|num }}").render(
        Context({"a": 6_610_000_000, "b": 350_000_000, "d": dt.date(2025, 7, 1), "n": 12500})
    )
    assert out == "6.610.000.000 ₫|6,61 tỷ đồng|350 triệu đồng|01/07/2025|12.500"


# --- apportioning (issue 11: parts add up to the whole, to the đồng) ---------------------------------


def test_apportion_140_million_over_three_facilities():
    assert apportion(140_000_000, [1, 1, 1]) == [46_666_667, 46_666_667, 46_666_666]


def test_apportion_by_weight_and_sign():
    assert apportion(100, [1, 2, 2]) == [20, 40, 40]
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert apportion(-10, [1, 1, 1]) == [-4, -3, -3]
    assert apportion(0, [0, 0]) == [0, 0]
    assert apportion(7, [0, 3]) == [0, 7]


def test_apportion_refuses_what_has_no_answer():
    with pytest.raises(ValueError):
        apportion(5, [0, 0])
    with pytest.raises(ValueError):
        apportion(5, [1, -1])
    with pytest.raises(ValueError):
        apportion(5, [])


@given(
    total=st.integers(min_value=-(10**13), max_value=10**13),
    weights=st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=40).filter(any),
)
def test_apportion_parts_sum_to_the_whole_within_a_dong_of_each_share(total, weights):
    parts = apportion(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(total * weight, whole)
        assert abs(part - exact) < 1
        if weight == 0:
            assert part == 0
