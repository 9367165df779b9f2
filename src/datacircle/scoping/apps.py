from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScopingConfig(AppConfig):
    name = "datacircle.scoping"
    verbose_name = _("Skills scoping")

    def ready(self) -> None:
        from datacircle.scoping import jobs  # noqa: F401  (registers the job kinds)
