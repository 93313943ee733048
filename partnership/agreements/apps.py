from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "partnership.agreements"
