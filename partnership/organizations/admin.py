from django.contrib import admin
from django_countries.filters import CountryFilter

from partnership.core.admin import PUBLICATION_FIELDSET, FastAdmin, PublishableAdmin
from partnership.organizations.models import Organization, Person


@admin.register(Organization)
class OrganizationAdmin(PublishableAdmin):
    list_display = ["name", "acronym", "kind", "country", "parent"]
    list_filter = ["publication", "kind", ("country", CountryFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "kind", "country", "parent", "website"]}),
        (None, {"fields": ["description"]}),
        PUBLICATION_FIELDSET,
    ]


@admin.register(Person)
class PersonAdmin(FastAdmin):
    list_display = ["name", "country"]
    list_filter = [("country", CountryFilter)]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "country"]
