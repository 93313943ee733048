from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnership.core.constraints import not_itself
from partnership.core.fields import aliases_field, description_field, optional_link
from partnership.core.models import Check, Publishable, record_history
from partnership.core.pages import DetailPage


class Sector(DetailPage, Publishable):
    """An industry in a two-level tree: a broad sector and the industries within it."""

    name = models.CharField(max_length=150, unique=True, verbose_name=_("name"))
    aliases = aliases_field()
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    parent = optional_link(
        "self",
        models.PROTECT,
        "children",
        limit_choices_to={"parent__isnull": True},
        help_text=_("The broad sector this industry belongs to. Leave empty for a broad sector."),
        verbose_name=_("parent"),
    )
    description = description_field()

    history = record_history()

    page_url_name = "sectors:detail"

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]
        permissions = [("publish_sector", "Can publish and unpublish sectors")]
        constraints = [
            *Publishable.Meta.constraints,
            not_itself(
                "parent",
                name="sectors_sector_not_own_parent",
                message="A sector cannot belong to itself.",
            ),
        ]

    def __str__(self):
        return self.name

    def quality_checks(self):
        return [
            Check(_("description"), bool(self.description), _("No description."), required=False),
        ]

    def clean(self):
        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "A sector cannot belong to itself."})
        if self.parent.parent_id is not None:
            raise ValidationError(
                {"parent": "Choose a broad sector: sectors have only two levels."}
            )
        if self.pk and self.children.exists():
            raise ValidationError(
                {"parent": "This sector has industries under it, so it must stay a broad sector."}
            )
