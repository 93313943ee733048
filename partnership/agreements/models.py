from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from partnership.agreements.documents import document_path, validate_pdf
from partnership.core.dates import DatePrecision
from partnership.core.models import Check, Publication, Publishable, sources_cited

NO_SOURCE = "It cites no source: add at least one source."


class Policy(Publishable):
    """A national or regional policy that agreements serve, such as Thailand's BCG model."""

    title = models.CharField(max_length=250)
    acronym = models.CharField(max_length=30, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    country = CountryField(blank=True, help_text="Leave empty for a regional policy.")
    owner = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
        help_text="The ministry or body that announced or runs the policy.",
    )
    announced_on = models.DateField(null=True, blank=True)
    summary = models.CharField(max_length=400, blank=True, help_text="One or two sentences.")
    description = models.TextField(blank=True)
    sources = models.ManyToManyField("core.Source", blank=True, related_name="policies")

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "policies"
        permissions = [("publish_policy", "Can publish and unpublish policies")]
        constraints = [*Publishable.Meta.constraints]

    def __str__(self):
        return f"{self.title} ({self.acronym})" if self.acronym else self.title

    def get_absolute_url(self):
        return reverse("agreements:list") + f"?policy={self.slug}"

    @property
    def short_name(self):
        return self.acronym or self.title

    @classmethod
    def quality_annotations(cls):
        return {"has_sources": sources_cited(cls)}

    def quality_checks(self):
        return [
            Check("sources", self.fact("has_sources", self.sources.exists), NO_SOURCE),
            Check("summary", bool(self.summary), "It has no summary.", required=False),
        ]


class AgreementKind(models.TextChoices):
    FRAMEWORK = "framework", "Framework document"
    MOC = "moc", "Memorandum of cooperation"
    MOU = "mou", "Memorandum of understanding"
    JOINT_STATEMENT = "joint_statement", "Joint statement"
    EPA = "epa", "Economic partnership agreement"
    ACTION_PLAN = "action_plan", "Action plan"


class AgreementStatus(models.TextChoices):
    NEGOTIATING = "negotiating", "Under negotiation"
    SIGNED = "signed", "Signed"
    IN_FORCE = "in_force", "In force"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated"
    SUPERSEDED = "superseded", "Superseded"


class Agreement(Publishable):
    title = models.CharField(
        max_length=300, help_text="The title in English, as official as known."
    )
    short_title = models.CharField(
        max_length=60, blank=True, help_text="Common short name or acronym, e.g. JTEPA."
    )
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=AgreementKind)
    status = models.CharField(
        max_length=20,
        choices=AgreementStatus,
        default=AgreementStatus.SIGNED,
        help_text="Where the agreement stands today.",
    )
    summary = models.CharField(
        max_length=400, blank=True, help_text="One or two sentences a newcomer understands."
    )
    description = models.TextField(blank=True)
    signed_on = models.DateField(null=True, blank=True)
    signed_at = models.CharField(
        "place of signing", max_length=200, blank=True, help_text="e.g. Shangri-La Hotel, Bangkok"
    )
    in_force_on = models.DateField("in force from", null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    policies = models.ManyToManyField(
        Policy, blank=True, related_name="agreements", help_text="Policies the agreement serves."
    )
    amends = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="amended_by",
        help_text="The earlier agreement this one changes, if any.",
    )
    implements = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="implemented_by",
        help_text="The broader agreement this one carries out, if any.",
    )
    uncertainty = models.TextField(
        "what is uncertain",
        blank=True,
        help_text="Anything the sources leave unsettled. Shown to the public as a caution.",
    )
    sources = models.ManyToManyField("core.Source", blank=True, related_name="agreements")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "title"]
        permissions = [("publish_agreement", "Can publish and unpublish agreements")]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(kind__in=AgreementKind.values),
                name="agreements_agreement_kind_valid",
                violation_error_message="Choose one of the listed kinds of agreement.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values),
                name="agreements_agreement_status_valid",
                violation_error_message="Choose one of the listed statuses.",
            ),
            models.CheckConstraint(
                condition=Q(in_force_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(in_force_on__gte=F("signed_on")),
                name="agreements_agreement_in_force_after_signing",
                violation_error_message="An agreement cannot come into force before it is signed.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(ends_on__gte=F("signed_on")),
                name="agreements_agreement_ends_after_signing",
                violation_error_message="The end date must be on or after the signing date.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(in_force_on__isnull=True)
                | Q(ends_on__gte=F("in_force_on")),
                name="agreements_agreement_ends_after_in_force",
                violation_error_message="The end date must be on or after the in-force date.",
            ),
            models.CheckConstraint(
                condition=~Q(amends=F("pk")) & ~Q(implements=F("pk")),
                name="agreements_agreement_not_related_to_itself",
                violation_error_message="An agreement cannot amend or implement itself.",
            ),
        ]
        indexes = [
            # The agreements list, newest first, filtered to published records.
            models.Index(fields=["publication", "-signed_on"], name="agreement_public_signed_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:detail", args=[self.slug])

    @classmethod
    def quality_annotations(cls):
        return {
            "has_sources": sources_cited(cls),
            "has_parties": Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"))),
            "has_documents": Exists(AgreementDocument.objects.filter(agreement=OuterRef("pk"))),
        }

    def quality_checks(self):
        negotiating = self.status == AgreementStatus.NEGOTIATING
        return [
            Check("sources", self.fact("has_sources", self.sources.exists), NO_SOURCE),
            Check(
                "signing date",
                bool(self.signed_on) or negotiating,
                "It has no signing date: enter one, or set the status to “Under negotiation”.",
            ),
            Check(
                "parties",
                self.fact("has_parties", self.parties.exists),
                "It names no parties: add the organizations that concluded it.",
            ),
            Check("summary", bool(self.summary), "It has no summary.", required=False),
            Check(
                "documents",
                self.fact("has_documents", self.documents.exists),
                "No document is attached.",
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
        if errors:
            raise ValidationError(errors)


class PartyRole(models.TextChoices):
    PARTY = "party", "Party"
    WITNESS = "witness", "Witness"
    OBSERVER = "observer", "Observer"


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="agreement_parties"
    )
    role = models.CharField(max_length=10, choices=PartyRole, default=PartyRole.PARTY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "agreement parties"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"], name="agreements_party_once_per_agreement"
            ),
            models.CheckConstraint(
                condition=Q(role__in=PartyRole.values),
                name="agreements_party_role_valid",
                violation_error_message="Choose one of the listed roles.",
            ),
        ]

    def __str__(self):
        return f"{self.organization} – {self.get_role_display()}"


class Signatory(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    person = models.ForeignKey(
        "organizations.Person", on_delete=models.PROTECT, related_name="signatures"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatories",
        help_text="The party the person signed for.",
    )
    title_at_signing = models.CharField(
        max_length=200,
        help_text="The person's title on the day of signing, e.g. Minister of Industry.",
    )
    order = models.PositiveSmallIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "signatories"
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
        return self.filter(agreement__publication=Publication.PUBLISHED)


class CooperationArea(models.Model):
    """One numbered area of cooperation an agreement sets out. Public with its agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField(help_text="The number the agreement gives the area.")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True, help_text="What the parties set out to do in this area.")
    sectors = models.ManyToManyField(
        "sectors.Sector",
        blank=True,
        related_name="areas",
        help_text="Target industries the area names.",
    )

    objects = CooperationAreaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
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

    def get_absolute_url(self):
        return reverse("areas:detail", args=[self.slug])

    @property
    def is_published(self):
        return self.agreement.is_published


class EventKind(models.TextChoices):
    NEGOTIATION = "negotiation", "Negotiation"
    MILESTONE = "milestone", "Milestone"
    REVIEW = "review", "Review"


class AgreementEvent(models.Model):
    """A dated step in an agreement's life beyond signing and entry into force."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    date = models.DateField()
    date_precision = models.CharField(
        "date known to the", max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    kind = models.CharField(max_length=20, choices=EventKind, default=EventKind.MILESTONE)
    title = models.CharField(max_length=250, help_text="e.g. Negotiations begin")

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values),
                name="agreements_event_precision_valid",
                violation_error_message="Choose day, month or year for how well the date is known.",
            ),
        ]

    def __str__(self):
        return self.title


class AgreementDocument(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=250)
    language = models.CharField(max_length=10, default="en", help_text="e.g. en, th, ja")
    file = models.FileField(
        upload_to=document_path,
        max_length=200,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
        help_text="A PDF file of at most 20 MB. The public can download it once the agreement is published.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("agreements:document", args=[self.agreement.slug, self.pk])
