from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partnership.core"
    verbose_name = "Sources and publishing"
