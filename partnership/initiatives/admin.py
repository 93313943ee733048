from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from partnership.core.admin import (
    PUBLICATION_FIELDSET,
    SOURCES_FIELDSET,
    PartInline,
    PublicRecordAdmin,
)
from partnership.initiatives.models import (
    AreaLink,
    Initiative,
    Milestone,
    Participation,
    Target,
)


class AreaLinkInline(PartInline):
    model = AreaLink
    autocomplete_fields = ["area", "source"]
    fields = ["area", "basis", "source", "reason"]
    verbose_name = _("cooperation area served")
    verbose_name_plural = _(
        "cooperation areas served: for each, is it stated in a source (choose it) or the "
        "editors' reading (give the reason)?"
    )


class ParticipationInline(PartInline):
    model = Participation
    autocomplete_fields = ["organization"]
    fields = ["organization", "role", "note"]
    verbose_name = _("participant")
    verbose_name_plural = _("participants: who leads, carries out, funds or partners")


class MilestoneInline(PartInline):
    model = Milestone
    fields = ["date", "date_precision", "title", "description"]
    verbose_name_plural = _("milestones: dated steps, oldest first")


class TargetInline(PartInline):
    model = Target
    fields = ["label", "unit", "target_value", "reached_value", "reached_on", "note"]
    verbose_name_plural = _("targets: what the initiative aims for and what it reached")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in {"target_value", "reached_value"}:
            kwargs["min_value"] = 0
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Initiative)
class InitiativeAdmin(PublicRecordAdmin):
    list_display = ["title", "acronym", "status", "start_date", "end_date", "agreement"]
    list_filter = ["status", "sectors", "agreement"]
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
            _("Status, as a source reported it"),
            {
                "fields": ["status", ("status_as_of", "status_as_of_precision"), "status_source"],
                "description": _(
                    "A status is true as of the day a source reported it. Without "
                    "that date the site shows it “as last reported”."
                ),
            },
        ),
        (_("What it does"), {"fields": ["summary", "description"]}),
        (
            _("When"),
            {
                "fields": [
                    ("start_date", "start_date_precision"),
                    ("end_date", "end_date_precision"),
                ],
                "description": _(
                    "If only the month or year is known, enter the first day of it "
                    "and say so in the box next to the date."
                ),
            },
        ),
        (
            _("What it carries out"),
            {
                "fields": [
                    "agreement",
                    "agreement_basis",
                    "agreement_source",
                    "agreement_reason",
                    "sectors",
                ],
                "description": _(
                    "The cooperation areas it serves are listed below, each with how it is known."
                ),
            },
        ),
        (_("Caution for readers"), {"fields": ["uncertainty"]}),
        SOURCES_FIELDSET,
        PUBLICATION_FIELDSET,
    ]
