from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

# The dated actions and events of an agreement are models of this app, kept in their own module.
from partnership.agreements.actions import (  # noqa: F401
    ActionKind,
    AgreementAction,
    AgreementEvent,
    EventKind,
)
from partnership.agreements.documents import document_path, validate_pdf
from partnership.core.constraints import (
    choice_valid,
    dates_in_order,
    not_itself,
)
from partnership.core.fields import (
    aliases_field,
    description_field,
    optional_link,
    part_of,
    sources_field,
    summary_field,
    uncertainty_field,
)
from partnership.core.models import (
    Check,
    OrganizationLinkQuerySet,
    Publishable,
    ShortNamed,
    published_q,
    record_history,
)
from partnership.core.pages import DetailPage
from partnership.core.reported import ReportedStatus
from partnership.organizations.fields import optional_organization


class Policy(DetailPage, ShortNamed, Publishable):
    """A national or regional policy that agreements serve, such as Thailand's BCG model."""

    title = models.CharField(max_length=250, verbose_name=_("title"))
    acronym = models.CharField(max_length=30, blank=True, verbose_name=_("acronym"))
    aliases = aliases_field()
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    country = CountryField(
        blank=True, help_text=_("Leave empty for a regional policy."), verbose_name=_("country")
    )
    owner = optional_organization(
        "policies",
        help_text=_("The ministry or body that announced or runs the policy."),
        verbose_name=_("owner"),
    )
    announced_on = models.DateField(null=True, blank=True, verbose_name=_("announced on"))
    summary = summary_field(_("One or two sentences."))
    description = description_field()
    sources = sources_field("policies")

    history = record_history()
    name_field = "title"

    page_url_name = "policies:detail"

    class Meta:
        verbose_name = _("policy")
        ordering = ["title"]
        verbose_name_plural = _("policies")
        permissions = [("publish_policy", "Can publish and unpublish policies")]
        constraints = [*Publishable.Meta.constraints]

    def quality_checks(self):
        return [
            self.sources_check(),
            Check(_("summary"), bool(self.summary), _("It has no summary."), required=False),
        ]


class AgreementKind(models.TextChoices):
    FRAMEWORK = "framework", _("Framework document")
    MOC = "moc", _("Memorandum of cooperation")
    MOU = "mou", _("Memorandum of understanding")
    JOINT_STATEMENT = "joint_statement", _("Joint statement")
    EPA = "epa", _("Economic partnership agreement")
    ACTION_PLAN = "action_plan", _("Action plan")


class AgreementStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("Under negotiation")
    SIGNED = "signed", pgettext_lazy("agreement status", "Signed")
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    SUPERSEDED = "superseded", _("Superseded")


PARTIES_NOT_STATED_MESSAGE = (
    "“Parties not named in the sources” needs a word under “what is uncertain” saying so."
)


class Agreement(DetailPage, ReportedStatus, Publishable):
    title = models.CharField(
        max_length=300,
        help_text=_("The title in English, as official as known."),
        verbose_name=_("title"),
    )
    short_title = models.CharField(
        max_length=60,
        blank=True,
        help_text=_("Common short name or acronym, e.g. JTEPA."),
        verbose_name=_("short title"),
    )
    aliases = aliases_field()
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    kind = models.CharField(max_length=20, choices=AgreementKind, verbose_name=_("kind"))
    status = models.CharField(
        max_length=20,
        choices=AgreementStatus,
        default=AgreementStatus.SIGNED,
        help_text=_(
            "Where the agreement stood when a source last reported it; give that "
            "source's date under “status as of”."
        ),
        verbose_name=_("status"),
    )
    summary = summary_field()
    description = description_field()
    signed_on = models.DateField(null=True, blank=True, verbose_name=_("signed on"))
    signed_at = models.CharField(
        _("place of signing"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Shangri-La Hotel, Bangkok"),
    )
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True, verbose_name=_("ends on"))
    policies = models.ManyToManyField(
        Policy,
        blank=True,
        related_name="agreements",
        help_text=_("Policies the agreement serves."),
        verbose_name=_("policies"),
    )
    amends = optional_link(
        "self",
        models.SET_NULL,
        "amended_by",
        help_text=_("The earlier agreement this one changes, if any."),
        verbose_name=_("amends"),
    )
    implements = optional_link(
        "self",
        models.SET_NULL,
        "implemented_by",
        help_text=_("The broader agreement this one carries out, if any."),
        verbose_name=_("implements"),
    )
    parties_not_stated = models.BooleanField(
        _("parties not named in the sources"),
        default=False,
        help_text=_(
            "Tick when no source names the bodies that concluded it (say so under "
            "“what is uncertain”); the public reads “not named in the sources”."
        ),
    )
    uncertainty = uncertainty_field()
    sources = sources_field("agreements")

    history = record_history()

    page_url_name = "agreements:detail"

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "title"]
        permissions = [("publish_agreement", "Can publish and unpublish agreements")]
        constraints = [
            *Publishable.Meta.constraints,
            *ReportedStatus.Meta.constraints,
            models.CheckConstraint(
                condition=Q(parties_not_stated=False) | ~Q(uncertainty=""),
                name="agreements_agreement_parties_not_stated_explained",
                violation_error_message=PARTIES_NOT_STATED_MESSAGE,
            ),
            choice_valid(
                "kind",
                AgreementKind,
                "agreements_agreement_kind_valid",
                "Choose one of the listed kinds of agreement.",
            ),
            choice_valid(
                "status",
                AgreementStatus,
                "agreements_agreement_status_valid",
                "Choose one of the listed statuses.",
            ),
            dates_in_order(
                "signed_on",
                "in_force_on",
                "agreements_agreement_in_force_after_signing",
                "An agreement cannot come into force before it is signed.",
            ),
            dates_in_order(
                "signed_on",
                "ends_on",
                "agreements_agreement_ends_after_signing",
                "The end date must be on or after the signing date.",
            ),
            dates_in_order(
                "in_force_on",
                "ends_on",
                "agreements_agreement_ends_after_in_force",
                "The end date must be on or after the in-force date.",
            ),
            not_itself(
                "amends",
                "implements",
                name="agreements_agreement_not_related_to_itself",
                message="An agreement cannot amend or implement itself.",
            ),
        ]
        indexes = [
            # The agreements list, newest first, filtered to published records.
            models.Index(fields=["publication", "-signed_on"], name="agreement_public_signed_idx"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def quality_annotations(cls):
        return {
            **super().quality_annotations(),
            "has_parties": Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"))),
            "has_documents": Exists(AgreementDocument.objects.filter(agreement=OuterRef("pk"))),
        }

    def quality_checks(self):
        negotiating = self.status == AgreementStatus.NEGOTIATING
        return [
            self.sources_check(),
            Check(
                _("signing date"),
                bool(self.signed_on) or negotiating,
                _("It has no signing date: enter one, or set the status to “Under negotiation”."),
            ),
            Check(
                _("parties"),
                self.fact("has_parties", self.parties.exists) or self.parties_not_stated,
                _(
                    "It names no parties: add the organizations that concluded it, or tick "
                    "“parties not named in the sources” if no source names them."
                ),
            ),
            Check(_("summary"), bool(self.summary), _("It has no summary."), required=False),
            Check(
                _("documents"),
                self.fact("has_documents", self.documents.exists),
                _("No document is attached."),
                required=False,
            ),
        ]

    def clean(self):
        errors = {}
        if self.signed_on and self.in_force_on and self.in_force_on < self.signed_on:
            errors["in_force_on"] = "An agreement cannot come into force before it is signed."
        if self.ends_on:
            start = self.in_force_on or self.signed_on
            if start and self.ends_on < start:
                errors["ends_on"] = (
                    "The end date must be on or after the signing and in-force dates."
                )
        if self.pk and self.amends_id == self.pk:
            errors["amends"] = "An agreement cannot amend itself."
        if self.pk and self.implements_id == self.pk:
            errors["implements"] = "An agreement cannot implement itself."
        if self.status == AgreementStatus.NEGOTIATING and self.signed_on:
            errors["status"] = "An agreement with a signing date is no longer under negotiation."
        if self.parties_not_stated and not self.uncertainty.strip():
            errors["uncertainty"] = PARTIES_NOT_STATED_MESSAGE
        if self.status_as_of and self.status_source_id is None:
            errors["status_source"] = "A dated status needs the source that reported it."
        if errors:
            raise ValidationError(errors)


class PartyRole(models.TextChoices):
    PARTY = "party", _("Party")
    WITNESS = "witness", _("Witness")
    OBSERVER = "observer", _("Observer")


class AgreementPartyQuerySet(OrganizationLinkQuerySet):
    record_field = "agreement"


class AgreementParty(models.Model):
    agreement = part_of(Agreement, "parties", _("agreement"))
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="agreement_parties",
        verbose_name=_("organization"),
    )
    role = models.CharField(
        max_length=10, choices=PartyRole, default=PartyRole.PARTY, verbose_name=_("role")
    )

    objects = AgreementPartyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement party")
        ordering = ["pk"]
        verbose_name_plural = _("agreement parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"], name="agreements_party_once_per_agreement"
            ),
            choice_valid(
                "role", PartyRole, "agreements_party_role_valid", "Choose one of the listed roles."
            ),
        ]

    def __str__(self):
        return f"{self.organization} – {self.get_role_display()}"


class SignatoryQuerySet(models.QuerySet):
    def published(self):
        """Signatures on published agreements. The person is public with the agreement; the
        organization they signed for is shown only once it is published itself."""
        return self.filter(published_q("agreement"))


class Signatory(models.Model):
    agreement = part_of(Agreement, "signatories", _("agreement"))
    person = models.ForeignKey(
        "organizations.Person",
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("person"),
    )
    organization = optional_organization(
        "signatories",
        help_text=_("The party the person signed for."),
        verbose_name=_("organization"),
    )
    title_at_signing = models.CharField(
        max_length=200,
        help_text=_("The person's title on the day of signing, e.g. Minister of Industry."),
        verbose_name=_("title at signing"),
    )
    order = models.PositiveSmallIntegerField(default=1, verbose_name=_("order"))

    objects = SignatoryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signatory")
        ordering = ["order", "pk"]
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "person"], name="agreements_signatory_once_per_agreement"
            ),
        ]

    def __str__(self):
        return f"{self.person}, {self.title_at_signing}"


class CooperationAreaQuerySet(models.QuerySet):
    def published(self):
        """An area is public exactly when its agreement is."""
        return self.filter(published_q("agreement"))


class CooperationArea(DetailPage, models.Model):
    """One numbered area of cooperation an agreement sets out. Public with its agreement."""

    agreement = part_of(Agreement, "areas", _("agreement"))
    number = models.PositiveSmallIntegerField(
        help_text=_("The number the agreement gives the area."), verbose_name=_("number")
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    summary = models.TextField(
        blank=True,
        help_text=_("What the parties set out to do in this area."),
        verbose_name=_("summary"),
    )
    sectors = models.ManyToManyField(
        "sectors.Sector",
        blank=True,
        related_name="areas",
        help_text=_("Target industries the area names."),
        verbose_name=_("sectors"),
    )

    objects = CooperationAreaQuerySet.as_manager()
    history = record_history()

    page_url_name = "areas:detail"

    class Meta:
        verbose_name = _("cooperation area")
        verbose_name_plural = _("cooperation areas")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreements_area_number_unique_per_agreement"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="agreements_area_number_positive",
                violation_error_message="Areas are numbered from 1.",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def is_published(self):
        return self.agreement.is_published


class AgreementDocument(models.Model):
    agreement = part_of(Agreement, "documents", _("agreement"))
    title = models.CharField(max_length=250, verbose_name=_("title"))
    language = models.CharField(
        max_length=10, default="en", help_text=_("e.g. en, th, ja"), verbose_name=_("language")
    )
    file = models.FileField(
        upload_to=document_path,
        max_length=200,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
        help_text=_(
            "A PDF file of at most 20 MB. The public can download it once the agreement is published."
        ),
        verbose_name=_("file"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:document", args=[self.agreement.slug, self.pk])
