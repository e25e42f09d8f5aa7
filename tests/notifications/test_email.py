"""Email actually delivered to a real SMTP server started by the test, with Vietnamese intact; logged
with status; retried while the server is down; the digest gathers a day's notices."""

from __future__ import annotations

import pytest

from notifications import services, tasks
from notifications.mailer import MAX_ATTEMPTS, TemporaryFailure, email_deliver
from notifications.models import Channel, EmailLog, EmailStatus, Kind, Notification, NotificationPreference
from notifications.reminders import digests_send

pytestmark = pytest.mark.django_db

TITLE = "Đề án PT-2026-007 chờ thẩm định, phê duyệt"
BODY = "Nguyễn Thị Hằng đã gửi đăng ký đề án “Hỗ trợ máy sấy chè cho hợp tác xã Đồng Xuân”."


def test_delivered_with_diacritics_in_subject_and_body(world, smtp_server, no_enqueue):
    world.manager_a.email = "lanh.dao@sct.phutho.gov.vn"
    world.manager_a.first_name, world.manager_a.last_name = "Trần", "Đức Lương"
    world.manager_a.save()
    services.notify(
        kind=Kind.SUBMITTED, recipients=[world.manager_a], title=TITLE, body=BODY, url="/de-an/7/"
    )
    log = EmailLog.objects.get()
    assert tasks.send_email.run(log.pk) == EmailStatus.SENT
    log.refresh_from_db()
    assert log.status == EmailStatus.SENT and log.sent_at is not None and log.attempts == 1
    [message] = smtp_server.messages
    assert smtp_server.envelopes[0][1] == ["lanh.dao@sct.phutho.gov.vn"]
    assert message["Subject"] == f"[Khuyến công] {TITLE}"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Kính gửi Trần Đức Lương," in text
    assert BODY in text and "http://127.0.0.1:8000/de-an/7/" in text
    assert "Hỗ trợ máy sấy chè cho hợp tác xã Đồng Xuân" in html
    # Sent once: a redelivered task does not send it again.
    assert email_deliver(log_pk=log.pk) == EmailStatus.SENT
    assert len(smtp_server.messages) == 1


def test_a_server_that_is_down_is_retried_then_given_up(world, settings, no_enqueue):
    from tests.notifications.conftest import free_port, use_smtp

    use_smtp(settings, free_port(), timeout=2)
    world.staff_a.email = "cv@example.vn"
    world.staff_a.save()
    services.notify(kind=Kind.RETURNED, recipients=[world.staff_a], title="Trả lại")
    log = EmailLog.objects.get()
    for attempt in range(1, MAX_ATTEMPTS):
        with pytest.raises(TemporaryFailure):
            email_deliver(log_pk=log.pk)
        log.refresh_from_db()
        assert (log.status, log.attempts) == (EmailStatus.RETRYING, attempt)
        assert "ConnectionRefused" in log.last_error
    assert email_deliver(log_pk=log.pk) == EmailStatus.FAILED
    log.refresh_from_db()
    assert log.status == EmailStatus.FAILED and log.attempts == MAX_ATTEMPTS and log.sent_at is None


def test_the_task_asks_celery_to_retry(world, settings, monkeypatch):
    from celery.exceptions import Retry

    from tests.notifications.conftest import free_port, use_smtp

    use_smtp(settings, free_port(), timeout=2)
    log = EmailLog.objects.create(to="a@example.vn", kind="x", subject="Thử", body_text="Thử")
    monkeypatch.setattr(tasks.send_email, "retry", lambda **kw: Retry("later", when=kw["countdown"]))
    with pytest.raises(Retry):
        tasks.send_email.run(log.pk)


def test_stale_queued_emails_are_enqueued_again(world, no_enqueue):
    import datetime as dt

    from django.utils import timezone

    old = EmailLog.objects.create(to="a@example.vn", kind="x", subject="Cũ", body_text="Cũ")
    fresh = EmailLog.objects.create(to="b@example.vn", kind="x", subject="Mới", body_text="Mới")
    EmailLog.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    assert tasks.requeue_stale_emails.run() == 1
    assert no_enqueue == [old.pk] and fresh.pk not in no_enqueue


def test_daily_digest_gathers_the_day(world, smtp_server, no_enqueue):
    world.staff_a.email = "cv@example.vn"
    world.staff_a.save()
    NotificationPreference.objects.create(user=world.staff_a, kind=Kind.APPROVED, channel=Channel.DIGEST)
    for code in ("PT-01", "PT-02"):
        services.notify(
            kind=Kind.APPROVED, recipients=[world.staff_a], title=f"Đề án {code} đã được phê duyệt"
        )
    assert not EmailLog.objects.exists()
    assert digests_send() == 1
    assert digests_send() == 0  # each notice goes into one digest
    log = EmailLog.objects.get()
    email_deliver(log_pk=log.pk)
    [message] = smtp_server.messages
    assert message["Subject"].startswith("[Khuyến công] Tổng hợp thông báo ngày")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Đề án PT-01 đã được phê duyệt" in text and "Đề án PT-02 đã được phê duyệt" in text
    assert not Notification.objects.filter(channel=Channel.DIGEST, digested_at__isnull=True).exists()
