"""Django app configuration for peer learning."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeersConfig(AppConfig):
    name = "datacircle.peers"
    verbose_name = _("Peer learning")

    def ready(self) -> None:
        from datacircle.peers import jobs  # noqa: F401  (registers the job kinds)
