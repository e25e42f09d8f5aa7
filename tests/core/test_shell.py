import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client, monkeypatch):
    from core import health

    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    monkeypatch.setattr(health, "CHECKS", {**health.CHECKS, "broker": lambda t: 1 / 0})
    assert client.get(reverse("core:healthz")).status_code == 503


def test_home_is_vietnamese_and_shows_role_navigation(client_for, staff_a):
    response = client_for(staff_a).get(reverse("core:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="vi"' in html
    assert "Phạm vi: Tỉnh Phú Thọ" in html
    assert "Đăng xuất" in html


def test_language_switch_to_english(client_for, staff_a):
    client = client_for(staff_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("core:home")).content.decode()
    assert 'lang="en"' in html
    assert "Log out" in html


def test_unknown_page_is_a_friendly_404(client_for, staff_a, settings):
    settings.DEBUG = False
    response = client_for(staff_a).get("/khong-ton-tai/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_login_throttled_after_five_failures(client, staff_a):
    url = reverse("accounts:login")
    for _ in range(5):
        response = client.post(url, {"username": "staff_a", "password": "sai"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code in (200, 429)
    response = client.post(
        url, {"username": "staff_a", "password": "mat-khau-thu-nghiem-2026"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert "15 phút" in response.content.decode()
    # Another IP for the same user is not locked (keyed on username and IP together).
    response = client.post(
        url, {"username": "staff_a", "password": "mat-khau-thu-nghiem-2026"}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 302


def test_wrong_password_message_is_vietnamese(client, staff_a):
    response = client.post(reverse("accounts:login"), {"username": "staff_a", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_vietnamese_is_the_default_whatever_the_browser_asks(client_for, staff_a):
    html = (
        client_for(staff_a).get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    )
    assert 'lang="vi"' in html
    assert "Đăng xuất" in html


def test_home_shows_what_waits_for_each_role(
    client_for, manager_a, staff_a, province_a, province_b, django_assert_max_num_queries
):
    from tests.factories import ProjectFactory

    ProjectFactory.create(province=province_a, status="submitted", title="Đề án chờ duyệt ở Phú Thọ")
    ProjectFactory.create(province=province_a, status="returned", title="Đề án bị trả lại")
    ProjectFactory.create(province=province_b, status="submitted", title="Đề án của Hà Nội")
    client = client_for(manager_a)
    # 8 for the page, plus the inbox (“Việc của tôi”): one query per kind of work a manager has.
    with django_assert_max_num_queries(12):
        html = client.get(reverse("core:home")).content.decode()
    assert "Đề án chờ thẩm định, phê duyệt" in html
    assert "Đề án chờ duyệt ở Phú Thọ" in html
    assert "Đề án của Hà Nội" not in html
    counts = html.split('id="kc-home-counts"')[1].split("Đề án cập nhật gần đây")[0]
    assert '<div class="kc-stat-value">1</div>' in counts
    staff_html = client_for(staff_a).get(reverse("core:home")).content.decode()
    assert "Đề án bị trả lại để chỉnh sửa" in staff_html
    assert "Đề án chờ thẩm định, phê duyệt" not in staff_html
