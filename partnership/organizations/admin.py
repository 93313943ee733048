from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from partnership.core.admin import (
    PUBLICATION_FIELDSET,
    SOURCES_FIELDSET,
    FastAdmin,
    PublicRecordAdmin,
    TranslatedAdmin,
)
from partnership.organizations.models import Organization, Person


@admin.register(Organization)
class OrganizationAdmin(PublicRecordAdmin):
    list_display = ["name", "acronym", "kind", "country", "ownership_country", "parent"]
    list_filter = [
        "kind",
        ("country", CountryFilter),
        ("ownership_country", CountryFilter),
    ]
    list_select_related = ["parent"]
    search_fields = ["name", "acronym", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "sources"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "acronym",
                    "aliases",
                    "slug",
                    "kind",
                    ("country", "ownership_country"),
                    "parent",
                    "website",
                ]
            },
        ),
        (None, {"fields": ["description"]}),
        (_("Caution for readers"), {"fields": ["uncertainty"]}),
        SOURCES_FIELDSET,
        PUBLICATION_FIELDSET,
    ]


@admin.register(Person)
class PersonAdmin(FastAdmin, TranslatedAdmin):
    list_display = ["name", "country"]
    list_filter = [("country", CountryFilter)]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "aliases", "slug", "country"]
