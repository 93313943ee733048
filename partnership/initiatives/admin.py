from django.contrib import admin

from partnership.core.admin import (
    PUBLICATION_FIELDSET,
    SOURCES_FIELDSET,
    CitedSourcesMixin,
    PublishableAdmin,
    TranslatedAdmin,
)
from partnership.initiatives.models import (
    AreaLink,
    Initiative,
    Milestone,
    Participation,
    Target,
)


class AreaLinkInline(admin.TabularInline):
    model = AreaLink
    autocomplete_fields = ["area", "source"]
    fields = ["area", "basis", "source", "reason"]
    extra = 0
    verbose_name = "cooperation area served"
    verbose_name_plural = (
        "cooperation areas served: for each, is it stated in a source (choose it) or the "
        "editors' reading (give the reason)?"
    )


class ParticipationInline(admin.TabularInline):
    model = Participation
    autocomplete_fields = ["organization"]
    fields = ["organization", "role", "note"]
    extra = 0
    verbose_name = "participant"
    verbose_name_plural = "participants: who leads, carries out, funds or partners"


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ["date", "date_precision", "title", "description"]
    extra = 0
    verbose_name_plural = "milestones: dated steps, oldest first"


class TargetInline(admin.TabularInline):
    model = Target
    fields = ["label", "unit", "target_value", "reached_value", "reached_on", "note"]
    extra = 0
    verbose_name_plural = "targets: what the initiative aims for and what it reached"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in {"target_value", "reached_value"}:
            kwargs["min_value"] = 0
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Initiative)
class InitiativeAdmin(CitedSourcesMixin, PublishableAdmin, TranslatedAdmin):
    list_display = ["title", "acronym", "status", "start_date", "end_date", "agreement"]
    list_filter = ["publication", "status", "sectors", "agreement"]
    list_select_related = ["agreement"]
    search_fields = ["title", "acronym", "aliases", "summary"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "agreement",
        "agreement_source",
        "status_source",
        "sectors",
        "sources",
    ]
    inlines = [AreaLinkInline, ParticipationInline, MilestoneInline, TargetInline]
    fieldsets = [
        (None, {"fields": ["title", "acronym", "aliases", "slug"]}),
        (
            "Status, as a source reported it",
            {
                "fields": ["status", ("status_as_of", "status_as_of_precision"), "status_source"],
                "description": "A status is true as of the day a source reported it. Without "
                "that date the site shows it “as last reported”.",
            },
        ),
        ("What it does", {"fields": ["summary", "description"]}),
        (
            "When",
            {
                "fields": [
                    ("start_date", "start_date_precision"),
                    ("end_date", "end_date_precision"),
                ],
                "description": "If only the month or year is known, enter the first day of it "
                "and say so in the box next to the date.",
            },
        ),
        (
            "What it carries out",
            {
                "fields": [
                    "agreement",
                    "agreement_basis",
                    "agreement_source",
                    "agreement_reason",
                    "sectors",
                ],
                "description": "The cooperation areas it serves are listed below, each with "
                "how it is known.",
            },
        ),
        ("Caution for readers", {"fields": ["uncertainty"]}),
        SOURCES_FIELDSET,
        PUBLICATION_FIELDSET,
    ]
