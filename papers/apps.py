from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = _("Văn bản theo Nghị định 30")
    default_auto_field = "django.db.models.BigAutoField"
