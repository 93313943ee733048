"""Every download the site offers, and the data dictionary page that documents them.

The page is generated from the same Column lists the downloads write, so the documentation
cannot drift from the files. A new download is added here to appear on the page.
"""

from dataclasses import dataclass
from functools import cached_property
from importlib import import_module

from django.shortcuts import redirect, render
from django.urls import reverse


@dataclass(frozen=True)
class Dataset:
    id: str
    title: str
    list_url_name: str
    export_url_name: str
    columns_path: str  # "module:NAME" of the Column list
    description: str = ""

    @cached_property
    def columns(self):
        module, name = self.columns_path.split(":")
        return getattr(import_module(module), name)

    @property
    def list_url(self):
        return reverse(self.list_url_name)

    @property
    def csv(self):
        return reverse(self.export_url_name, args=["csv"])

    @property
    def json(self):
        return reverse(self.export_url_name, args=["json"])


DATASETS = [
    Dataset(
        "agreements",
        "Agreements",
        "agreements:list",
        "agreements:export",
        "partnership.agreements.exports:AGREEMENT_COLUMNS",
        "One row per published agreement, with its parties and the policies it serves.",
    ),
    Dataset(
        "initiatives",
        "Initiatives",
        "initiatives:list",
        "initiatives:export",
        "partnership.initiatives.exports:INITIATIVE_COLUMNS",
        "One row per published initiative, with the areas it serves and who takes part.",
    ),
    Dataset(
        "organizations",
        "Organizations",
        "organizations:list",
        "organizations:export",
        "partnership.organizations.exports:ORGANIZATION_COLUMNS",
        "One row per published organization in the directory.",
    ),
    Dataset(
        "investments",
        "Investment projects",
        "investments:list",
        "investments:export",
        "partnership.investments.selectors:INVESTMENT_COLUMNS",
        "One row per published investment project.",
    ),
    Dataset(
        "figures",
        "Reported investment figures",
        "investments:figures",
        "investments:figures_export",
        "partnership.investments.selectors:FIGURE_COLUMNS",
        "One row per published figure an official body reported. These totals already include "
        "projects: never add them to the project amounts.",
    ),
]


def data_dictionary(request):
    return render(request, "core/data_dictionary.html", {"datasets": DATASETS})


def old_data_dictionary(request):
    """The page's earlier address, under /investments/."""
    return redirect("core:data_dictionary", permanent=True)
