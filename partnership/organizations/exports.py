"""The columns of the organizations download (documented on the data dictionary page)."""

from django.urls import reverse
from django_countries import countries

from partnership.core.exports import Column, published_value

from .models import OrganizationKind


def _page(row):
    return reverse("organizations:detail", args=[row["slug"]])


def _country_name(row):
    return countries.name(row["country"]) if row["country"] else ""


ORGANIZATION_COLUMNS = [
    Column(
        "slug",
        "The organization's identifier in this record; its page is /organizations/<slug>/.",
    ),
    Column("name", "The full official name in English."),
    Column("acronym", "The short form the sources use, e.g. METI, BOI. Often empty."),
    Column(
        "country",
        "The country it belongs to: ISO 3166-1 alpha-2 code; empty for international bodies.",
    ),
    Column(
        "country_name",
        "The country's name in English.",
        compute=_country_name,
        needs=("country",),
    ),
    Column("kind", "What sort of body it is.", choices=tuple(OrganizationKind.choices)),
    Column(
        "parent",
        "The identifier of the body it is part of, if any (DIPROM is part of the Ministry of "
        "Industry).",
        source=published_value("parent", "slug"),
    ),
    Column(
        "parent_name",
        "The name of the body it is part of.",
        source=published_value("parent", "name"),
    ),
    Column("website", "Its home page.", kind="url"),
    Column("url", "Its page on this site.", kind="url", compute=_page, needs=("slug",)),
]
