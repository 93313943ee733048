from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "partnership.api"
    verbose_name = "Open data API"

    def ready(self):
        from . import openapi  # noqa: F401  (registers the filters' bounds with the schema)
