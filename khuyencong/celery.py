"""The Celery application. Schedules are defined here in code (django-celery-beat has no release
for Django 6.1): apps add entries to ``app.conf.beat_schedule`` from their ``tasks`` modules."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")

app = Celery("khuyencong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {}
