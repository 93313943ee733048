from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from partnership.core.models import Check, Publishable


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", "National government"
    MINISTRY = "ministry", "Ministry"
    AGENCY = "agency", "Government agency or department"
    STATE_ENTERPRISE = "state_enterprise", "State enterprise"
    COMPANY = "company", "Company"
    ASSOCIATION = "association", "Association or foundation"
    UNIVERSITY = "university", "University or research institute"
    INTERNATIONAL = "international", "International body"


class Organization(Publishable):
    name = models.CharField(max_length=200, help_text="Full official name in English.")
    acronym = models.CharField(
        max_length=30, blank=True, help_text="Short form used in the sources, e.g. METI, BOI."
    )
    slug = models.SlugField(
        max_length=100, unique=True, help_text="Used in the page address. Filled in from the name."
    )
    country = CountryField(
        blank=True,
        help_text="Country the organization belongs to. Leave empty for international bodies.",
    )
    kind = models.CharField(max_length=20, choices=OrganizationKind)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The body this one is part of, e.g. DIPROM is part of the Ministry of Industry.",
    )
    website = models.URLField(blank=True, help_text="Home page, starting https://.")
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        permissions = [("publish_organization", "Can publish and unpublish organizations")]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind__in=OrganizationKind.values),
                name="organizations_organization_kind_valid",
                violation_error_message="Choose one of the listed kinds of organization.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="organizations_organization_not_own_parent",
                violation_error_message="An organization cannot be part of itself.",
            ),
            models.CheckConstraint(
                condition=Q(website="")
                | Q(website__startswith="https://")
                | Q(website__startswith="http://"),
                name="organizations_organization_website_is_web_address",
                violation_error_message="The website must be a web address starting https://.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("organizations:detail", args=[self.slug])

    @property
    def short_name(self):
        return self.acronym or self.name

    def quality_checks(self):
        return [
            Check("website", bool(self.website), "No website is given.", required=False),
            Check("description", bool(self.description), "No description.", required=False),
        ]

    def clean(self):
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "An organization cannot be part of itself."})
        ancestor, seen = self.parent, {self.pk}
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError(
                    {"parent": "This would make the organization part of itself."}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Person(models.Model):
    """Someone who signed or led something. Titles are recorded where they held them."""

    name = models.CharField(
        max_length=200, help_text="As the sources write it, family name where they put it."
    )
    slug = models.SlugField(max_length=100, unique=True)
    country = CountryField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name
