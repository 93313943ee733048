from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from partnership.core.dates import DatePrecision
from partnership.core.models import Check, Publishable, sources_cited


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    SUSPENDED = "suspended", "Suspended"


class Initiative(Publishable):
    """A programme or project that carries out one or more cooperation areas."""

    title = models.CharField(max_length=300)
    acronym = models.CharField(max_length=30, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.CharField(
        max_length=400, blank=True, help_text="One or two sentences a newcomer understands."
    )
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=InitiativeStatus, default=InitiativeStatus.ACTIVE
    )
    start_date = models.DateField(null=True, blank=True)
    start_date_precision = models.CharField(
        "start known to the", max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    end_date = models.DateField(null=True, blank=True)
    end_date_precision = models.CharField(
        "end known to the", max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        help_text="The agreement the initiative falls under, if any.",
    )
    areas = models.ManyToManyField(
        "agreements.CooperationArea",
        blank=True,
        related_name="initiatives",
        help_text="The cooperation areas the initiative serves.",
    )
    sectors = models.ManyToManyField("sectors.Sector", blank=True, related_name="initiatives")
    uncertainty = models.TextField(
        "what is uncertain",
        blank=True,
        help_text="Anything the sources leave unsettled. Shown to the public as a caution.",
    )
    sources = models.ManyToManyField("core.Source", blank=True, related_name="initiatives")

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        permissions = [("publish_initiative", "Can publish and unpublish initiatives")]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status__in=InitiativeStatus.values),
                name="initiatives_initiative_status_valid",
                violation_error_message="Choose one of the listed statuses.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="initiatives_initiative_ends_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(start_date_precision__in=DatePrecision.values)
                & Q(end_date_precision__in=DatePrecision.values),
                name="initiatives_initiative_precision_valid",
                violation_error_message="Choose day, month or year for how well the date is known.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.acronym})" if self.acronym else self.title

    def get_absolute_url(self):
        return reverse("initiatives:detail", args=[self.slug])

    @property
    def short_name(self):
        return self.acronym or self.title

    @classmethod
    def quality_annotations(cls):
        return {
            "has_sources": sources_cited(cls),
            "has_participants": Exists(Participation.objects.filter(initiative=OuterRef("pk"))),
            "has_areas": Exists(cls.areas.through.objects.filter(initiative_id=OuterRef("pk"))),
        }

    def quality_checks(self):
        return [
            Check(
                "sources",
                self.fact("has_sources", self.sources.exists),
                "It cites no source: add at least one source.",
            ),
            Check(
                "summary",
                bool(self.summary),
                "It has no summary: say in one or two sentences what it does.",
            ),
            Check(
                "participants",
                self.fact("has_participants", self.participations.exists),
                "No participating organization is named.",
                required=False,
            ),
            Check(
                "areas",
                self.fact("has_areas", self.areas.exists),
                "It serves no cooperation area.",
                required=False,
            ),
        ]

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must be on or after the start date."})


class ParticipantRole(models.TextChoices):
    LEAD = "lead", "Lead"
    IMPLEMENTING = "implementing", "Implementing"
    FUNDING = "funding", "Funding or commissioning"
    PARTNER = "partner", "Partner"


class Participation(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="participations"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(max_length=20, choices=ParticipantRole)
    note = models.CharField(
        max_length=250, blank=True, help_text="What the organization does, in a few words."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organization", "role"],
                name="initiatives_participation_unique_role",
            ),
            models.CheckConstraint(
                condition=Q(role__in=ParticipantRole.values),
                name="initiatives_participation_role_valid",
                violation_error_message="Choose one of the listed roles.",
            ),
        ]

    def __str__(self):
        return f"{self.organization} – {self.get_role_display()}"


class Milestone(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField()
    date_precision = models.CharField(
        "date known to the", max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values),
                name="initiatives_milestone_precision_valid",
                violation_error_message="Choose day, month or year for how well the date is known.",
            ),
        ]

    def __str__(self):
        return self.title


class Target(models.Model):
    """What an initiative aims for and what it reached, e.g. IoT instructors trained."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="targets")
    label = models.CharField(
        max_length=200, help_text="What is counted, e.g. IoT instructors trained"
    )
    unit = models.CharField(max_length=50, blank=True, help_text="e.g. people, vehicles a day")
    target_value = models.DecimalField(
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave empty if no target was set.",
    )
    reached_value = models.DecimalField(
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave empty if not yet reported.",
    )
    reached_on = models.DateField(
        null=True, blank=True, help_text="When the reached value was reported."
    )
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gte=0),
                name="initiatives_target_value_not_negative",
                violation_error_message="A target cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(reached_value__isnull=True) | Q(reached_value__gte=0),
                name="initiatives_target_reached_not_negative",
                violation_error_message="A reached value cannot be negative.",
            ),
        ]

    def __str__(self):
        return self.label
