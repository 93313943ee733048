from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from partnership.agreements.models import (
    Agreement,
    AgreementAction,
    AgreementDocument,
    AgreementEvent,
    AgreementParty,
    CooperationArea,
    Policy,
    Signatory,
)
from partnership.core.admin import (
    PUBLICATION_FIELDSET,
    SOURCES_FIELDSET,
    FastAdmin,
    PartInline,
    PublicRecordAdmin,
    TranslatedAdmin,
    TranslatedStackedInline,
    TranslatedTabularInline,
)


@admin.register(Policy)
class PolicyAdmin(PublicRecordAdmin):
    previewable = False  # its public place is a list, which shows no drafts
    list_display = ["title", "acronym", "country", "owner", "announced_on"]
    list_filter = [("country", CountryFilter)]
    list_select_related = ["owner"]
    search_fields = ["title", "acronym", "aliases"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["owner", "sources"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "acronym",
                    "aliases",
                    "slug",
                    "country",
                    "owner",
                    "announced_on",
                ]
            },
        ),
        (None, {"fields": ["summary", "description"]}),
        SOURCES_FIELDSET,
        PUBLICATION_FIELDSET,
    ]


class PartyInline(PartInline):
    model = AgreementParty
    autocomplete_fields = ["organization"]
    verbose_name = _("party")
    verbose_name_plural = _("parties: the organizations that concluded the agreement")


class SignatoryInline(TranslatedTabularInline):
    model = Signatory
    autocomplete_fields = ["person", "organization"]
    fields = ["order", "person", "title_at_signing", "organization"]
    verbose_name_plural = _("signatories: who signed, with their title on the day")


class AreaFormSet(forms.BaseInlineFormSet):
    def get_unique_error_message(self, unique_check):
        if "number" in unique_check:
            return _(
                "Two areas have the same number. Each area of an agreement needs its own number."
            )
        return super().get_unique_error_message(unique_check)


class AreaInline(TranslatedStackedInline):
    model = CooperationArea
    formset = AreaFormSet
    fields = [("number", "title"), "slug", "summary", "sectors"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["sectors"]
    show_change_link = True
    verbose_name_plural = _("areas of cooperation, in the agreement's order")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "number":
            kwargs["min_value"] = 1
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class EventInline(PartInline):
    model = AgreementEvent
    fields = ["date", "date_precision", "kind", "title"]
    verbose_name_plural = _("other events: negotiations, reviews, milestones")


class ActionInline(PartInline):
    """Dated actions, each by one of the agreement's parties or by the agreement as a whole.
    The party list offers this agreement's own parties only."""

    model = AgreementAction
    fields = ["kind", "party", "date", "date_precision", "source", "note"]
    autocomplete_fields = ["source"]
    verbose_name = _("dated action")
    verbose_name_plural = _(
        "dated actions: each party's signature, ratification or withdrawal, and the "
        "agreement's entry into force, amendments and expiry"
    )

    def get_formset(self, request, obj=None, **kwargs):
        self.parent = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "party":
            parent = getattr(self, "parent", None)
            queryset = AgreementParty.objects.select_related("organization")
            kwargs["queryset"] = queryset.filter(agreement=parent) if parent else queryset.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DocumentInline(PartInline):
    model = AgreementDocument
    fields = ["title", "language", "file"]
    verbose_name_plural = _("documents: the signed text and translations (PDF)")


@admin.register(Agreement)
class AgreementAdmin(PublicRecordAdmin):
    list_display = ["title", "kind", "status", "signed_on", "party_names"]
    list_filter = ["kind", "status", "policies"]
    search_fields = ["title", "short_title", "aliases", "summary", "signed_at"]
    date_hierarchy = "signed_on"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["amends", "implements", "policies", "status_source", "sources"]
    inlines = [
        PartyInline,
        SignatoryInline,
        ActionInline,
        AreaInline,
        EventInline,
        DocumentInline,
    ]
    fieldsets = [
        (
            None,
            {"fields": ["title", "short_title", "aliases", "slug", "kind", "parties_not_stated"]},
        ),
        (
            _("Status, as a source reported it"),
            {
                "fields": ["status", ("status_as_of", "status_as_of_precision"), "status_source"],
                "description": _(
                    "A status is true as of the day a source reported it. Without "
                    "that date the site shows it “as last reported”."
                ),
            },
        ),
        (_("What it says"), {"fields": ["summary", "description", "policies"]}),
        (
            _("Signing and validity"),
            {"fields": [("signed_on", "signed_at"), "in_force_on", "ends_on"]},
        ),
        (
            _("Related agreements"),
            {"fields": ["amends", "implements"], "classes": ["collapse"]},
        ),
        (_("Caution for readers"), {"fields": ["uncertainty"]}),
        SOURCES_FIELDSET,
        PUBLICATION_FIELDSET,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parties__organization")

    @admin.display(description=_("parties"))
    def party_names(self, obj):
        return ", ".join(party.organization.short_name for party in obj.parties.all()) or "–"


@admin.register(CooperationArea)
class CooperationAreaAdmin(FastAdmin, TranslatedAdmin):
    list_display = ["__str__", "agreement"]
    list_filter = ["agreement__publication", "agreement"]
    list_select_related = ["agreement"]
    search_fields = ["title", "summary", "agreement__title", "agreement__short_title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["agreement", "sectors"]
    fields = ["agreement", ("number", "title"), "slug", "summary", "sectors"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "number":
            kwargs["min_value"] = 1
        return super().formfield_for_dbfield(db_field, request, **kwargs)
