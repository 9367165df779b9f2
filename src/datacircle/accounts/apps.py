"""App configuration for organisations and people."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "datacircle.accounts"
    verbose_name = _("Organisations and people")
