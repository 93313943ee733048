"""Sources in the admin: where each fact of the record comes from."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from partnership.core.admin.editing import FastAdmin
from partnership.core.admin.translations import TranslatedAdmin
from partnership.core.models import Source


@admin.register(Source)
class SourceAdmin(FastAdmin, TranslatedAdmin):
    list_display = ["title", "publisher", "kind", "published_on", "accessed_on", "link"]
    list_filter = ["kind", "published_on_precision"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"
    fieldsets = [
        (None, {"fields": ["title", "publisher", "kind", "release_of", "url"]}),
        (_("Dates"), {"fields": [("published_on", "published_on_precision"), "accessed_on"]}),
        (None, {"fields": ["note"]}),
    ]

    @admin.display(description=_("address"))
    def link(self, obj):
        if not obj.url:
            return "–"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.url, _("open"))
