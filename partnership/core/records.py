"""The partnership record as a whole: which models hold it, and whether it is empty."""

from django.apps import apps
from simple_history.models import HistoricalChanges

RECORD_APPS = ["core", "organizations", "sectors", "agreements", "initiatives", "investments"]


def record_models():
    """Every model holding part of the record; the records' history is not itself a record,
    nor is what the database keeps alone from it (a model no one has permissions on: the
    investments' tallies)."""
    return [
        model
        for label in RECORD_APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges) and model._meta.default_permissions
    ]


def count_records():
    return sum(model.objects.count() for model in record_models())
