from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "partnership.api"
    verbose_name = "Open data API"

    def ready(self):
        from . import schema  # noqa: F401  (registers the schema extension)
