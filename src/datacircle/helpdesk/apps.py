"""Django app configuration for the data help desk."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "datacircle.helpdesk"
    verbose_name = _("Data help desk")
