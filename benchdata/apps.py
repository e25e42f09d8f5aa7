from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchdataConfig(AppConfig):
    name = "benchdata"
    verbose_name = _("Dữ liệu quy mô toàn quốc (đo hiệu năng)")
