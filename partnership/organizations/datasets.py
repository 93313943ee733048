"""The organizations download: its columns and where its rows come from (documented on the
data dictionary page)."""

from partnership.core.datasets import Dataset
from partnership.core.exports import (
    SOURCE_URLS,
    Column,
    country_name_column,
    in_languages,
    page_column,
    related_column,
)

from . import selectors
from .filters import OrganizationFilter
from .models import OrganizationKind

ORGANIZATION_COLUMNS = [
    Column(
        "slug",
        "The organization's identifier in this record; its page is /organizations/<slug>/.",
    ),
    *in_languages(Column("name", "The full official name in English.")),
    Column("acronym", "The short form the sources use, e.g. METI, BOI. Often empty."),
    Column(
        "country",
        "The country it is registered or based in: ISO 3166-1 alpha-2 code; empty for "
        "international bodies.",
    ),
    country_name_column("country", "The name in English of the country it is based in."),
    Column(
        "ownership_country",
        "The nationality of its ownership (ISO 3166-1 alpha-2 code), where it differs from the "
        "country it is based in; empty when it is the same or not known.",
    ),
    country_name_column(
        "ownership_country", "The name in English of the country of its ownership."
    ),
    Column("kind", "What sort of body it is.", choices=tuple(OrganizationKind.choices)),
    related_column(
        "parent",
        "The identifier of the body it is part of, if any (DIPROM is part of the Ministry of "
        "Industry).",
        "parent",
        "slug",
    ),
    related_column("parent_name", "The name of the body it is part of.", "parent", "name"),
    Column("website", "Its home page.", kind="url"),
    page_column("Its page on this site.", "organizations:detail"),
    SOURCE_URLS,
]


ORGANIZATIONS = Dataset(
    "organizations:list",
    "Organizations",
    filterset=OrganizationFilter,
    rows=selectors.organization_rows,
    columns=ORGANIZATION_COLUMNS,
    description="One row per published organization in the directory.",
)
