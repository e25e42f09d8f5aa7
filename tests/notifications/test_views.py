"""The bell, the list, opening a notice and the preferences page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications import services
from notifications.models import Channel, Kind, Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def test_bell_shows_the_unread_count_in_one_query(world, client_for, django_assert_max_num_queries):
    Notification.objects.filter(user=world.staff_a).delete()
    for i in range(7):
        services.notify(
            kind=Kind.APPROVED, recipients=[world.staff_a], title=f"Đề án số {i} đã được phê duyệt"
        )
    client = client_for(world.staff_a)
    from notifications.context_processors import bell_for

    with django_assert_max_num_queries(1):
        bell = bell_for(world.staff_a)
    assert bell["unread"] == 7 and len(bell["items"]) == 5
    page = client.get(reverse("core:home")).content.decode()
    assert 'hx-get="/thong-bao/chuong/"' in page  # the page loads the bell after itself
    html = client.get(reverse("notifications:bell")).content.decode()
    assert 'data-kc-unread="7"' in html and "Đề án số 6 đã được phê duyệt" in html


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(world, client_for):
    [notice] = services.notify(kind=Kind.APPROVED, recipients=[world.staff_a], title="Xong", url="/de-an/")
    response = client_for(world.staff_a).get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/de-an/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_notice_never_sends_the_user_elsewhere(world, client_for):
    [notice] = services.notify(
        kind=Kind.APPROVED, recipients=[world.staff_a], title="x", url="https://evil.example/"
    )
    response = client_for(world.staff_a).get(reverse("notifications:open", args=[notice.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read_touches_only_mine(world, client_for):
    services.notify(kind=Kind.APPROVED, recipients=[world.staff_a, world.manager_a], title="x")
    client_for(world.staff_a).post(reverse("notifications:mark_all_read"))
    assert Notification.objects.unread().get().user == world.manager_a


def test_preferences_saved_and_junk_refused(world, client_for):
    client = client_for(world.staff_a)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Đề án bị trả lại để chỉnh sửa" in page and "Gộp vào email hằng ngày".lower() in page.lower()
    data = dict.fromkeys(Kind.values, Channel.EMAIL) | {Kind.DUE_SOON: Channel.NONE}
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    assert NotificationPreference.objects.get(user=world.staff_a, kind=Kind.DUE_SOON).channel == Channel.NONE
    bad = client.post(reverse("notifications:preferences"), data | {Kind.APPROVED: "fax"})
    assert bad.status_code == 400 and "Lựa chọn không hợp lệ" in bad.content.decode()
