from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from partnership.core.constraints import choice_valid, not_itself, web_address
from partnership.core.fields import (
    aliases_field,
    description_field,
    optional_link,
    sources_field,
    uncertainty_field,
)
from partnership.core.models import Check, Publishable, ShortNamed, published_q, record_history
from partnership.core.pages import DetailPage


class OrganizationKind(models.TextChoices):
    GOVERNMENT = "government", _("National government")
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Government agency or department")
    STATE_ENTERPRISE = "state_enterprise", _("State enterprise")
    COMPANY = "company", _("Company")
    ASSOCIATION = "association", _("Association or foundation")
    UNIVERSITY = "university", _("University or research institute")
    INTERNATIONAL = "international", _("International body")


class Organization(DetailPage, ShortNamed, Publishable):
    name = models.CharField(
        max_length=200, help_text=_("Full official name in English."), verbose_name=_("name")
    )
    acronym = models.CharField(
        max_length=30,
        blank=True,
        help_text=_("Short form used in the sources, e.g. METI, BOI."),
        verbose_name=_("acronym"),
    )
    aliases = aliases_field()
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text=_("Used in the page address. Filled in from the name."),
        verbose_name=_("slug"),
    )
    country = CountryField(
        _("based in"),
        blank=True,
        help_text=_(
            "The country where it is registered or based (a Japanese-owned company "
            "registered in Thailand: Thailand). Leave empty for international bodies."
        ),
    )
    ownership_country = CountryField(
        _("nationality of ownership"),
        blank=True,
        help_text=_(
            "Whose it is: the country of its owners or founders, where the sources say "
            "so and it differs from where it is based (that company: Japan). Leave empty when it "
            "is the same or not known."
        ),
    )
    kind = models.CharField(max_length=20, choices=OrganizationKind, verbose_name=_("kind"))
    parent = optional_link(
        "self",
        models.PROTECT,
        "children",
        help_text=_(
            "The body this one is part of, e.g. DIPROM is part of the Ministry of Industry."
        ),
        verbose_name=_("parent"),
    )
    website = models.URLField(
        blank=True, help_text=_("Home page, starting https://."), verbose_name=_("website")
    )
    description = description_field()
    uncertainty = uncertainty_field()
    sources = sources_field(
        "organizations",
        help_text=_(
            "Sources for what the record says of the organization itself: its name, "
            "where it is based, whose it is, what it does."
        ),
    )

    history = record_history()

    page_url_name = "organizations:detail"

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        permissions = [("publish_organization", "Can publish and unpublish organizations")]
        constraints = [
            *Publishable.Meta.constraints,
            choice_valid(
                "kind",
                OrganizationKind,
                "organizations_organization_kind_valid",
                "Choose one of the listed kinds of organization.",
            ),
            not_itself(
                "parent",
                name="organizations_organization_not_own_parent",
                message="An organization cannot be part of itself.",
            ),
            web_address(
                "website",
                "organizations_organization_website_is_web_address",
                "The website must be a web address starting https://.",
            ),
        ]

    @property
    def ownership_differs(self):
        return bool(self.ownership_country) and self.ownership_country != self.country

    def quality_checks(self):
        return [
            self.sources_check(_("It cites no source for what it says of the organization.")),
            Check(_("website"), bool(self.website), _("No website is given."), required=False),
            Check(_("description"), bool(self.description), _("No description."), required=False),
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


class PersonQuerySet(models.QuerySet):
    def with_public_signatures(self):
        """Annotate whether the person signed a published agreement (`signed_published`)."""
        signature = self.model._meta.get_field("signatures").related_model
        signatures = signature.objects.filter(published_q("agreement"), person=OuterRef("pk"))
        return self.annotate(signed_published=Exists(signatures))

    def published(self):
        """People who signed a published agreement: a person is public with what they
        signed, and has no publication status of their own."""
        return self.with_public_signatures().filter(signed_published=True)


class Person(DetailPage, models.Model):
    """Someone who signed or led something. Titles are recorded where they held them."""

    name = models.CharField(
        max_length=200,
        help_text=_("As the sources write it, family name where they put it."),
        verbose_name=_("name"),
    )
    aliases = aliases_field()
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    country = CountryField(blank=True, verbose_name=_("country"))

    objects = PersonQuerySet.as_manager()
    history = record_history()

    page_url_name = "people:detail"

    class Meta:
        verbose_name = _("person")
        ordering = ["name"]
        verbose_name_plural = _("people")
        permissions = [("publish_person", "Can publish changes to people the public sees")]

    def __str__(self):
        return self.name

    @property
    def is_published(self):
        """Public with a published agreement they signed (annotated by the selectors)."""
        if hasattr(self, "signed_published"):
            return self.signed_published
        return Person.objects.published().filter(pk=self.pk).exists()
