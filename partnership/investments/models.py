from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from partnership.core.currencies import AmountUnit, Currency
from partnership.core.models import Check, Publishable, sources_cited


class Stage(models.TextChoices):
    ANNOUNCED = "announced", "Announced"
    APPLIED = "applied", "Applied for promotion"
    APPROVED = "approved", "Approved"
    CERTIFIED = "certified", "Certificate issued"
    OPERATING = "operating", "Operating"


class Basis(models.TextChoices):
    APPLICATIONS = "applications", "Applications"
    APPROVALS = "approvals", "Approvals"
    CERTIFICATES = "certificates", "Certificates"
    PLEDGE = "pledge", "Pledge or announcement"


def money_constraints(prefix):
    return [
        models.CheckConstraint(
            condition=Q(amount__isnull=True) | Q(amount__gte=0),
            name=f"{prefix}_amount_not_negative",
            violation_error_message="An amount cannot be negative.",
        ),
        models.CheckConstraint(
            condition=Q(currency__in=Currency.values),
            name=f"{prefix}_currency_valid",
            violation_error_message="Choose one of the listed currencies.",
        ),
        models.CheckConstraint(
            condition=Q(amount_unit__in=AmountUnit.values),
            name=f"{prefix}_amount_unit_valid",
            violation_error_message="Choose how the source wrote the amount from the list.",
        ),
        models.CheckConstraint(
            condition=Q(period_end__isnull=True)
            | Q(period_start__isnull=True)
            | Q(period_end__gte=F("period_start")),
            name=f"{prefix}_period_ends_after_start",
            violation_error_message="The period must end on or after the day it starts.",
        ),
    ]


class Money(models.Model):
    """An amount exactly as reported, with its currency, and the period it refers to."""

    amount = models.DecimalField(
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The full amount, e.g. 3062000000 for 3,062 million baht.",
    )
    currency = models.CharField(max_length=3, choices=Currency, default=Currency.THB)
    amount_unit = models.PositiveIntegerField(
        "written in",
        choices=AmountUnit,
        default=AmountUnit.MILLION,
        help_text="How the source wrote the amount, so the site writes it the same way.",
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    period_label = models.CharField(
        max_length=60, blank=True, help_text="The period as the source names it, e.g. Jan–Sep 2021."
    )
    uncertainty = models.TextField(
        "what is uncertain",
        blank=True,
        help_text="Anything the sources leave unsettled. Shown to the public as a caution.",
    )

    class Meta:
        abstract = True

    def money_checks(self):
        """What a reported amount needs before the public sees it."""
        return [
            Check(
                "sources",
                self.fact("has_sources", self.sources.exists),
                "It cites no source: add the source that reported the amount.",
            ),
            Check("amount", self.amount is not None, "It has no amount."),
            Check(
                "period",
                bool(self.period_label),
                "It has no period label: name the period as the source does, e.g. Jan–Sep 2021.",
            ),
        ]

    def clean(self):
        errors = {}
        if self.amount is not None and self.amount < 0:
            errors["amount"] = "An amount cannot be negative."
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "The period must end on or after the day it starts."
        if errors:
            raise ValidationError(errors)


class Investment(Publishable, Money):
    """One investment project."""

    title = models.CharField(max_length=300, help_text="What the project makes or does.")
    slug = models.SlugField(max_length=120, unique=True)
    investor = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investments",
        help_text="Leave empty when the source does not name the company.",
    )
    origin_country = CountryField()
    destination_country = CountryField()
    sector = models.ForeignKey(
        "sectors.Sector",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investments",
    )
    stage = models.CharField(max_length=20, choices=Stage, default=Stage.APPLIED)
    province = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="investments",
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="investments",
    )
    sources = models.ManyToManyField("core.Source", blank=True, related_name="investments")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "-amount", "title"]
        permissions = [("publish_investment", "Can publish and unpublish investments")]
        constraints = [
            *Publishable.Meta.constraints,
            *money_constraints("investments_investment"),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values),
                name="investments_investment_stage_valid",
                violation_error_message="Choose one of the listed stages.",
            ),
        ]
        indexes = [
            # The investments list and its totals, filtered to published rows.
            models.Index(
                fields=["publication", "-period_start"], name="investment_public_period_idx"
            ),
            models.Index(fields=["sector", "publication"], name="investment_sector_idx"),
            # The admin's drill-down by date on the whole table: the distinct years and
            # months of period_start, and the rows of one of them.
            models.Index(fields=["period_start"], name="investment_period_start_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("investments:detail", args=[self.slug])

    @classmethod
    def quality_annotations(cls):
        return {"has_sources": sources_cited(cls)}

    def quality_checks(self):
        return [
            *self.money_checks(),
            Check("investor", self.investor_id is not None, "No investor is named.", False),
            Check("sector", self.sector_id is not None, "No sector is given.", False),
        ]


class InvestmentFigure(Publishable, Money):
    """An aggregate as a body reported it. Never added to project-level investments."""

    origin_country = CountryField()
    destination_country = CountryField()
    basis = models.CharField(
        max_length=20,
        choices=Basis,
        help_text="What was counted: applications for promotion, approvals, certificates or a pledge.",
    )
    reported_by = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_figures",
        help_text="The body whose statistics these are, e.g. the Board of Investment.",
    )
    project_count = models.PositiveIntegerField("number of projects", null=True, blank=True)
    share_percent = models.DecimalField(
        "share of all foreign investment (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    rank = models.PositiveSmallIntegerField("rank among origin countries", null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    sources = models.ManyToManyField("core.Source", blank=True, related_name="investment_figures")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "origin_country"]
        verbose_name = "reported investment figure"
        permissions = [
            ("publish_investmentfigure", "Can publish and unpublish reported investment figures")
        ]
        constraints = [
            *Publishable.Meta.constraints,
            *money_constraints("investments_figure"),
            models.CheckConstraint(
                condition=Q(basis__in=Basis.values),
                name="investments_figure_basis_valid",
                violation_error_message="Choose what was counted from the list.",
            ),
            models.CheckConstraint(
                condition=Q(project_count__isnull=True) | Q(project_count__gte=0),
                name="investments_figure_project_count_not_negative",
                violation_error_message="The number of projects cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(share_percent__isnull=True)
                | Q(share_percent__gte=0, share_percent__lte=100),
                name="investments_figure_share_between_0_and_100",
                violation_error_message="A share must be between 0 and 100 per cent.",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1),
                name="investments_figure_rank_positive",
                violation_error_message="A rank starts at 1.",
            ),
        ]
        indexes = [
            # The admin's drill-down by date on the whole table: the distinct years and
            # months of period_end, and the rows of one of them.
            models.Index(fields=["period_end"], name="figure_period_end_idx"),
        ]

    def __str__(self):
        label = self.period_label or "period not stated"
        return f"{self.origin_country.code}→{self.destination_country.code} {self.get_basis_display()}, {label}"

    def get_absolute_url(self):
        return reverse("investments:figures") + f"#figure-{self.pk}"

    @classmethod
    def quality_annotations(cls):
        return {"has_sources": sources_cited(cls)}

    def quality_checks(self):
        return [
            *self.money_checks(),
            Check(
                "projects",
                self.project_count is not None,
                "The number of projects is not given.",
                required=False,
            ),
        ]

    def clean(self):
        super().clean()
        if self.share_percent is not None and not 0 <= self.share_percent <= 100:
            raise ValidationError({"share_percent": "A share must be between 0 and 100 per cent."})
