"""Password rules (issue 14's probe: "khuyencong" and "Khuyencong2026" were accepted)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.demo_accounts import DEMO_PASSWORD
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _codes(password: str, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {str(e.code) for e in exc.error_list}
    return set()


@pytest.mark.parametrize(
    "password", ["khuyencong", "Khuyencong2026", "khuyến công 2026!", "KHUYEN-CONG@@2026xyz", DEMO_PASSWORD]
)
def test_the_portals_own_words_are_refused(password):
    assert "password_portal_word" in _codes(password)


def test_province_names_are_refused():
    assert "password_place_name" in _codes("PhuTho@Mua-Xuan-2026")
    assert "password_place_name" in _codes("hòa bình tươi đẹp 99")  # a former province


def test_the_users_name_is_refused(staff_a):
    staff_a.first_name, staff_a.last_name = "Trần Quang", "Minh"
    assert "password_user_name" in _codes("TranQuang-lam-viec-9x", staff_a)
    assert "password_user_name" in _codes("xyz-staff_a-2026-abc", staff_a)


def test_leaked_passwords_are_refused():
    assert "password_breached" in _codes("anhyeuem123")
    assert "password_breached" in _codes("Matkhau@2026")


def test_guessable_passwords_are_refused_by_zxcvbn():
    assert "password_weak" in _codes("abcdefghij1")


def test_a_long_passphrase_is_accepted(staff_a):
    assert _codes("ngựa vằn uống cà phê lúc bảy giờ", staff_a) == set()


def test_the_password_change_page_refuses_the_probes_password(client_for, staff_a):
    response = client_for(staff_a).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Khuyencong2026", "new_password2": "Khuyencong2026"},
    )
    assert response.status_code == 200
    assert "không được chứa tên cổng" in response.content.decode()
    staff_a.refresh_from_db()
    assert staff_a.check_password(PASSWORD)


def test_demo_users_keep_the_readmes_password(client, org_a):
    """seed_demo sets passwords directly (no validators), so the README's demo logins still work."""
    user = UserFactory.create(username="cv.demo", organisation=org_a)
    user.set_password(DEMO_PASSWORD)
    user.save()
    response = client.post(reverse("accounts:login"), {"username": "cv.demo", "password": DEMO_PASSWORD})
    assert response.status_code == 302
