"""Money and sources in the admin, shared by the apps whose records carry them."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from partnership.core.currencies import format_amount

AMOUNT_HELP = _(
    "Type the whole amount in digits, not in millions: 3,062 million baht is 3062000000. "
    "Leave empty if the source gives no amount."
)
AMOUNT_UNIT_HELP = _(
    "How the source wrote the amount. With “million”, 3062000000 is shown as “3,062 million baht”."
)


class MoneyAdminMixin:
    """Plain-language help for amounts, and the amount as the public will read it."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name == "amount":
            field.help_text = AMOUNT_HELP
        elif field is not None and db_field.name == "amount_unit":
            field.help_text = AMOUNT_UNIT_HELP
        return field

    @admin.display(description=_("amount"), ordering="amount")
    def amount_as_written(self, obj):
        approximate = getattr(obj, "amount_approximate", False)
        return format_amount(obj.amount, obj.currency, obj.amount_unit, approximate) or "–"


class CitedSourcesMixin:
    """Lists the record's sources with links to correct them (`sources_cited`, read-only);
    `sources` uses autocomplete.

    The autocomplete box has a "+" to add a new source in a pop-up window; the list below it
    opens a cited source to correct it.
    """

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "sources_cited"]

    @admin.display(description=_("correct a source"))
    def sources_cited(self, obj):
        if obj is None or obj.pk is None:
            return _("Save the record first; its sources will be listed here.")
        sources = list(obj.sources.all())
        if not sources:
            return _("No sources yet.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}" target="_blank" rel="noopener">{}</a></li>',
                (
                    (reverse("admin:core_source_change", args=[source.pk]), str(source))
                    for source in sources
                ),
            ),
        )


SOURCES_FIELDSET = (
    _("Sources"),
    {
        "fields": ["sources", "sources_cited"],
        "description": _(
            "Every fact needs a source. Type to find one; use + to add a source that is not "
            "in the list yet. Click a source below to correct it (opens a new tab)."
        ),
    },
)
