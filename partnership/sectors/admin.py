from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnership.core.admin import (
    PUBLICATION_FIELDSET,
    ConditionFilter,
    PublishableAdmin,
    TranslatedAdmin,
)
from partnership.sectors.models import Sector


class LevelFilter(ConditionFilter):
    title = _("level")
    parameter_name = "level"
    options = [("broad", _("Broad sectors")), ("industry", _("Industries within a sector"))]

    def condition(self, value, model):
        return Q(parent__isnull=value == "broad")


@admin.register(Sector)
class SectorAdmin(PublishableAdmin, TranslatedAdmin):
    list_display = ["name", "parent"]
    list_filter = [LevelFilter, "parent"]
    list_select_related = ["parent"]
    search_fields = ["name", "aliases", "parent__name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "aliases", "slug", "parent", "description"]}),
        PUBLICATION_FIELDSET,
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        parent = form.base_fields.get("parent")
        if parent is not None:
            # Only broad sectors can hold industries (the tree has two levels), and a sector
            # cannot sit under itself.
            choices = Sector.objects.filter(parent__isnull=True)
            if obj is not None:
                choices = choices.exclude(pk=obj.pk)
            parent.queryset = choices
            parent.help_text = _(
                "Choose the broad sector this industry belongs to. "
                "Leave empty if this is itself a broad sector."
            )
        return form
