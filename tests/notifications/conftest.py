"""A real SMTP server (aiosmtpd) on a free loopback port, started and stopped by the test."""

from __future__ import annotations

import email
import socket
from email import policy

import pytest


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def use_smtp(settings, port: int, timeout: int = 5) -> None:
    """Point the default mailer at an SMTP server on loopback."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": timeout},
        }
    }


@pytest.fixture
def smtp_server(settings):
    """Start aiosmtpd on loopback and point Django's SMTP backend at it; yields the received mail."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    use_smtp(settings, port)
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def no_enqueue(monkeypatch):
    """Record the emails handed to Celery instead of sending them to the broker."""
    from notifications import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.send_email, "delay", lambda pk: queued.append(pk))
    return queued


@pytest.fixture(autouse=True)
def _no_matrix_notices(request):
    """The shared world carries the permission matrix's sample notice; these tests count from zero."""
    if "world" in request.fixturenames:
        from notifications.models import Notification

        request.getfixturevalue("world")
        Notification.objects.all().delete()
