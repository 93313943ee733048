from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnership.core.models import Check, Publishable


class Sector(Publishable):
    """An industry in a two-level tree: a broad sector and the industries within it."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        help_text="The broad sector this industry belongs to. Leave empty for a broad sector.",
    )
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        permissions = [("publish_sector", "Can publish and unpublish sectors")]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="sectors_sector_not_own_parent",
                violation_error_message="A sector cannot belong to itself.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sectors:detail", args=[self.slug])

    def quality_checks(self):
        return [
            Check("description", bool(self.description), "No description.", required=False),
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
