"""Notifications: in-app notices with a bell, per-user preferences per kind, and logged email sent by
Celery. Other apps call :func:`notifications.services.notify`."""
