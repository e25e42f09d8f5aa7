import pytest
from django.core.exceptions import ValidationError

from beneficiaries.validation import normalise_personal_id, normalise_tax_code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0100109106", "0100109106"),
        (" 0100 109 106 ", "0100109106"),
        ("0100109106-001", "0100109106001"),
        (100109106, "0100109106"),  # Excel dropped the leading zero
        ("", ""),
        (None, ""),
    ],
)
def test_tax_code_normalised(raw, expected):
    assert normalise_tax_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        ("0100109107", "tax_code_checksum", "sai chữ số kiểm tra"),
        ("01001091", "tax_code_length", "10 chữ số"),
        ("010010910612", "tax_code_length", "đang có 12"),
        ("01001A9106", "tax_code_letters", "chỉ gồm chữ số"),
    ],
)
def test_tax_code_rejected_with_vietnamese_reason(raw, code, fragment):
    with pytest.raises(ValidationError) as info:
        normalise_tax_code(raw)
    assert info.value.code == code
    assert fragment in info.value.messages[0]


def test_personal_id_needs_twelve_digits():
    assert normalise_personal_id("025 190 001 234") == "025190001234"
    with pytest.raises(ValidationError):
        normalise_personal_id("12345")
    with pytest.raises(ValidationError):
        normalise_personal_id("02519000123A")
