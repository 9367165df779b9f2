from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "datacircle.catalogue"
    verbose_name = _("Shared catalogue API")
