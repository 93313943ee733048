from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "partnership.api"
    verbose_name = _("Open data API")

    def ready(self):
        from . import openapi  # noqa: F401  (registers the filters' bounds with the schema)
