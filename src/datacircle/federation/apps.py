"""Import from a peer: pull published modules from another Data Circle's catalogue API."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "datacircle.federation"
    verbose_name = _("Import from peers")

    def ready(self) -> None:
        from datacircle.federation import jobs  # noqa: F401  (registers the job kinds)
