from django.contrib import admin

from partnership.core.admin import (
    PUBLICATION_FIELDSET,
    SOURCES_FIELDSET,
    CitedSourcesMixin,
    PublishableAdmin,
)
from partnership.initiatives.models import Initiative, Milestone, Participation, Target


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
class InitiativeAdmin(CitedSourcesMixin, PublishableAdmin):
    list_display = ["title", "acronym", "status", "start_date", "end_date", "agreement"]
    list_filter = ["publication", "status", "sectors", "agreement"]
    list_select_related = ["agreement"]
    search_fields = ["title", "acronym", "summary"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["agreement", "areas", "sectors", "sources"]
    readonly_fields = [*PublishableAdmin.readonly_fields, "sources_cited"]
    inlines = [ParticipationInline, MilestoneInline, TargetInline]
    fieldsets = [
        (None, {"fields": ["title", "acronym", "slug", "status"]}),
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
        ("What it carries out", {"fields": ["agreement", "areas", "sectors"]}),
        ("Caution for readers", {"fields": ["uncertainty"]}),
        SOURCES_FIELDSET,
        PUBLICATION_FIELDSET,
    ]
