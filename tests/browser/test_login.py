"""Each role logs in through the real login form and sees its home page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, shot
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("role", ["staff_a", "manager_a", "national_manager", "admin"])
def test_each_role_logs_in_and_sees_home(role, world, live_server, page):
    user = getattr(world, role)
    login(page, live_server, user.username, PASSWORD)
    assert page.url.rstrip("/") == live_server.url
    body = page.inner_text("body")
    assert "Xin chào" in body
    if role == "admin":
        assert page.locator("a[href='/quan-tri/']").count() == 1
    shot(page, f"home-{role}")


def test_wrong_password_shows_vietnamese_error(world, live_server, page):
    login(page, live_server, world.staff_a.username, "sai-mat-khau")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.inner_text("body")
    shot(page, "login-error")
