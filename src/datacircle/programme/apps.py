"""Django app configuration for the working group's programme."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "datacircle.programme"
    verbose_name = _("Working group programme")

    def ready(self) -> None:
        from datacircle.programme import jobs  # noqa: F401  (registers the job kinds)
