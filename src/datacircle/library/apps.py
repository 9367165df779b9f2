"""Django app configuration for the session library."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "datacircle.library"
    verbose_name = _("Session library")
