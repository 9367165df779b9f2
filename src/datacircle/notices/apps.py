"""Django app configuration for email notices."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "datacircle.notices"
    verbose_name = _("Email notices")
