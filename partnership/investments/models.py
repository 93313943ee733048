import calendar
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from partnership.core.constraints import choice_valid, dates_in_order, not_negative
from partnership.core.currencies import AmountUnit, Currency, format_amount
from partnership.core.dates import format_period
from partnership.core.fields import (
    description_field,
    note_field,
    optional_decimal,
    optional_link,
    sources_field,
    uncertainty_field,
)
from partnership.core.models import STANDINGS, Check, Publishable, record_history, standing
from partnership.core.pages import DetailPage
from partnership.organizations.fields import optional_organization

# The tallies' models and the uncited projects' (kept by the database), registered here.
from .tallies import InvestorBandTally as InvestorBandTally
from .tallies import InvestorTally as InvestorTally
from .tallies import ProjectBandTally as ProjectBandTally
from .tallies import ProjectTally as ProjectTally
from .tallies import SourceBandTally as SourceBandTally
from .tallies import SourceTally as SourceTally
from .tallies import UncitedProject as UncitedProject


class Stage(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    APPLIED = "applied", _("Applied for promotion")
    APPROVED = "approved", _("Approved")
    CERTIFIED = "certified", _("Certificate issued")
    OPERATING = "operating", _("Operating")


class Basis(models.TextChoices):
    APPLICATIONS = "applications", _("Applications")
    APPROVALS = "approvals", _("Approvals")
    CERTIFICATES = "certificates", _("Certificates")
    PLEDGE = "pledge", _("Pledge or announcement")


def money_constraints(prefix):
    return [
        not_negative("amount", f"{prefix}_amount_not_negative", "An amount cannot be negative."),
        choice_valid(
            "currency",
            Currency,
            f"{prefix}_currency_valid",
            "Choose one of the listed currencies.",
        ),
        choice_valid(
            "amount_unit",
            AmountUnit,
            f"{prefix}_amount_unit_valid",
            "Choose how the source wrote the amount from the list.",
        ),
        dates_in_order(
            "period_start",
            "period_end",
            f"{prefix}_period_ends_after_start",
            "The period must end on or after the day it starts.",
        ),
        models.CheckConstraint(
            condition=Q(period_not_stated=False)
            | (
                Q(period_label="", period_start__isnull=True, period_end__isnull=True)
                & ~Q(uncertainty="")
            ),
            name=f"{prefix}_period_not_stated_explained",
            violation_error_message=PERIOD_NOT_STATED_MESSAGE,
        ),
    ]


PERIOD_NOT_STATED_MESSAGE = (
    "“Period not stated” means the source gives no period: leave the period's dates and "
    "label empty, and say under “what is uncertain” what the source leaves open."
)


class Money(models.Model):
    """An amount exactly as reported, with its currency, and the period it refers to."""

    amount = optional_decimal(
        _("The full amount, e.g. 3062000000 for 3,062 million baht."), verbose_name=_("amount")
    )
    currency = models.CharField(
        max_length=3, choices=Currency, default=Currency.THB, verbose_name=_("currency")
    )
    amount_unit = models.PositiveIntegerField(
        _("written in"),
        choices=AmountUnit,
        default=AmountUnit.MILLION,
        help_text=_("How the source wrote the amount, so the site writes it the same way."),
    )
    period_start = models.DateField(null=True, blank=True, verbose_name=_("period start"))
    period_end = models.DateField(null=True, blank=True, verbose_name=_("period end"))
    period_label = models.CharField(
        max_length=60,
        blank=True,
        help_text=_("The period as the source names it, e.g. Jan–Sep 2021."),
        verbose_name=_("period label"),
    )
    period_not_stated = models.BooleanField(
        _("period not stated in the sources"),
        default=False,
        help_text=_(
            "Tick when the source gives no period for the amount (then say so under "
            "“what is uncertain”). The public reads “period not stated”."
        ),
    )
    amount_approximate = models.BooleanField(
        _("approximate amount"),
        default=False,
        help_text=_(
            "Tick when the source gives the amount as approximate: the site writes "
            "“around 70 billion baht”."
        ),
    )
    uncertainty = uncertainty_field()

    class Meta:
        abstract = True

    @property
    def amount_as_written(self):
        """ "3,062 million baht", "around 70 billion baht"; empty when no amount is given."""
        return format_amount(self.amount, self.currency, self.amount_unit, self.amount_approximate)

    @property
    def period_as_read(self):
        """The period as the page's reader writes it: in English the source's own words
        ("Jan–Sep 2021"); in Thai and Japanese the period's months in their form ("ม.ค.–ก.ย.
        2564", "2021年1月～9月") where the record has its dates, else the source's words."""
        if self.period_start and get_language() not in (None, settings.LANGUAGE_CODE):
            return format_period(self.period_start, self.period_end)
        return self.period_label

    @property
    def source_standing(self):
        """How firmly its (prefetched) sources stand behind it: "official", "repost",
        "news" or "none" (see core.models.standing)."""
        return standing(self.sources.all())

    @property
    def source_standing_label(self):
        return STANDINGS[self.source_standing]

    @property
    def cites_home_pages_only(self):
        """Whether every source it cites is given by a site's home page only, so a reader
        cannot open the item itself."""
        sources = self.sources.all()
        return bool(sources) and all(source.is_home_page for source in sources)

    def money_checks(self):
        """What a reported amount needs before the public sees it."""
        return [
            self.sources_check(_("It cites no source: add the source that reported the amount.")),
            Check(_("amount"), self.amount is not None, _("It has no amount.")),
            Check(
                _("period"),
                bool(self.period_label) or self.period_not_stated,
                _(
                    "It has no period label: name the period as the source does, e.g. Jan–Sep "
                    "2021, or tick “period not stated” if the source gives none."
                ),
            ),
        ]

    def clean(self):
        errors = {}
        if self.period_not_stated and (
            self.period_label or self.period_start or self.period_end or not self.uncertainty
        ):
            errors["period_not_stated"] = PERIOD_NOT_STATED_MESSAGE
        if self.amount is not None and self.amount < 0:
            errors["amount"] = "An amount cannot be negative."
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "The period must end on or after the day it starts."
        if errors:
            raise ValidationError(errors)


class Investment(DetailPage, Publishable, Money):
    """One investment project."""

    title = models.CharField(
        max_length=300, help_text=_("What the project makes or does."), verbose_name=_("title")
    )
    slug = models.SlugField(max_length=120, unique=True, verbose_name=_("slug"))
    investor = optional_organization(
        "investments",
        help_text=_("Leave empty when the source does not name the company."),
        verbose_name=_("investor"),
    )
    origin_country = CountryField(verbose_name=_("origin country"))
    destination_country = CountryField(verbose_name=_("destination country"))
    sector = optional_link(
        "sectors.Sector", models.PROTECT, "investments", verbose_name=_("sector")
    )
    stage = models.CharField(
        max_length=20, choices=Stage, default=Stage.APPLIED, verbose_name=_("stage")
    )
    province = models.CharField(max_length=100, blank=True, verbose_name=_("province"))
    description = description_field()
    initiative = optional_link(
        "initiatives.Initiative", models.SET_NULL, "investments", verbose_name=_("initiative")
    )
    agreement = optional_link(
        "agreements.Agreement", models.SET_NULL, "investments", verbose_name=_("agreement")
    )
    sources = sources_field("investments")
    import_batch = models.CharField(
        _("import"),
        max_length=150,
        blank=True,
        editable=False,
        help_text=_(
            "The spreadsheet import that last added or changed the record: when, and "
            "from which file."
        ),
    )

    history = record_history()

    page_url_name = "investments:detail"

    class Meta:
        verbose_name = _("investment")
        verbose_name_plural = _("investments")
        ordering = ["-period_start", "-amount", "title"]
        permissions = [("publish_investment", "Can publish and unpublish investments")]
        constraints = [
            *Publishable.Meta.constraints,
            *money_constraints("investments_investment"),
            choice_valid(
                "stage",
                Stage,
                "investments_investment_stage_valid",
                "Choose one of the listed stages.",
            ),
        ]
        indexes = [
            # The investments list in its default order (newest period, then the largest
            # amount, then the title): a page is the next 25 entries of this index, its
            # primary keys read from the index alone (core/listing.py, LargeListPaginator).
            # Sorting by period either way walks it forwards or backwards. On PostgreSQL its
            # entries also hold the period's end, the countries and the stage (`include`,
            # which SQLite lacks), so that the walk tests a period filter (whose "or no
            # start" cannot bound it) and those facets on the entries rather than on each
            # row they point to: a period ending by mid-2015, or 2010-2015 from Japan on
            # page 30, 1.3-1.5 s to 0.1 s at a million projects.
            models.Index(
                fields=["publication", "-period_start", "-amount", "title"],
                include=["period_end", "origin_country", "destination_country", "stage", "id"],
                name="investment_list_order_idx",
            ),
            # The list sorted by amount (?ordering=amount / -amount). Its entries also hold
            # what the tallies group by (tally.EDGE_COLUMNS) and the period, so that the
            # projects of an amount range that the tallies by band leave to be counted one
            # by one are counted from the index alone: at a million projects, in a process
            # that has served a page before, the first visit with a bound near the middle
            # of a crowded band (115,000 projects to count) 2.25 s to 1.6 s on SQLite,
            # 1.9-2.05 s to 1.5 s on PostgreSQL.
            models.Index(
                fields=[
                    "publication",
                    "amount",
                    "origin_country",
                    "destination_country",
                    "sector",
                    "stage",
                    "currency",
                    "period_start",
                    "period_end",
                    "investor",
                ],
                include=["id"],  # on PostgreSQL; SQLite's entries hold the key already
                name="investment_amount_order_idx",
            ),
            # The list sorted by title.
            models.Index(fields=["publication", "title"], name="investment_title_order_idx"),
            # The facets: the rows of one origin (or stage, or sector; an investor's are
            # found by the foreign key's own index), and each facet's counts, grouped over
            # the index rather than the table.
            models.Index(fields=["sector", "publication"], name="investment_sector_idx"),
            # An organization's page (an investor's newest projects, and how many) and the
            # pages of initiatives and their areas (each initiative's projects): from the
            # index alone, however many projects others have.
            models.Index(
                fields=["investor", "publication", "-period_start", "-amount", "title"],
                name="investment_investor_idx",
            ),
            models.Index(
                fields=["initiative", "publication", "-period_start", "-amount", "title"],
                name="investment_initiative_idx",
            ),
            models.Index(
                fields=["origin_country", "publication", "-period_start"],
                name="investment_origin_idx",
            ),
            models.Index(
                fields=["stage", "publication", "-period_start"], name="investment_stage_idx"
            ),
            # The admin's drill-down by date on the whole table: the distinct years and
            # months of period_start, and the rows of one of them. With the next, the
            # projects of a period bound's own year, which the tallies leave to be counted
            # one by one (tally.period_in_years).
            models.Index(fields=["period_start"], name="investment_period_start_idx"),
            models.Index(fields=["period_end", "period_start"], name="investment_period_end_idx"),
            # The admin's list, drafts and all, sorted by title or by amount: a page is the
            # next rows of the index (ties put in order as they come).
            models.Index(fields=["title"], name="investment_title_idx"),
            models.Index(fields=["amount"], name="investment_amount_idx"),
            # The admin's filter by import: the imports in use, and the rows of one.
            models.Index(fields=["import_batch"], name="investment_import_batch_idx"),
        ]

    def __str__(self):
        return self.title

    def quality_checks(self):
        return [
            *self.money_checks(),
            Check(_("investor"), self.investor_id is not None, _("No investor is named."), False),
            Check(_("sector"), self.sector_id is not None, _("No sector is given."), False),
        ]


PERIOD_KINDS = {
    "year": "Full year",
    "half": "Half year",
    "nine_months": "Nine months",
    "other": "Other period",
    "none": "No period stated",
}


def period_kind(start, end):
    """ "year", "half", "nine_months", "other" or "none", from the period's first and last day."""
    if start is None or end is None:
        return "none"
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if not whole_months or start.year != end.year:
        return "other"
    months = end.month - start.month + 1
    if months == 12:
        return "year"
    if months == 6 and start.month in (1, 7):
        return "half"
    if months == 9 and start.month == 1:
        return "nine_months"
    return "other"


FIGURE_SLUG_LENGTH = 120
YEAR = re.compile(r"\d{4}")


def figure_slug(figure):
    """The address of a figure's page, from its route, what was counted and its period:
    "jp-th-applications-2021-jan-sep" for applications from Japan to Thailand, Jan–Sep 2021."""
    if figure.period_label:
        words = slugify(re.sub(r"[-–—/]", " ", figure.period_label)).split("-")
        years = [word for word in words if YEAR.fullmatch(word)]
        period = "-".join(years + [word for word in words if word not in years])
    elif figure.period_start or figure.period_end:
        period = "-".join(str(day) for day in (figure.period_start, figure.period_end) if day)
    else:
        period = "undated"
    route = f"{figure.origin_country}-{figure.destination_country}-{figure.basis}"
    return slugify(f"{route}-{period}")[:FIGURE_SLUG_LENGTH].strip("-")


class InvestmentFigure(Publishable, Money):
    """An aggregate as a body reported it. Never added to project-level investments."""

    slug = models.SlugField(
        max_length=FIGURE_SLUG_LENGTH,
        unique=True,
        blank=True,
        help_text=_(
            "Used in the address of the figure's page. Left empty, it is made from the "
            "route, what was counted and the period, e.g. jp-th-applications-2021-jan-sep."
        ),
        verbose_name=_("slug"),
    )
    origin_country = CountryField(verbose_name=_("origin country"))
    destination_country = CountryField(verbose_name=_("destination country"))
    basis = models.CharField(
        max_length=20,
        choices=Basis,
        help_text=_(
            "What was counted: applications for promotion, approvals, certificates or a pledge."
        ),
        verbose_name=_("basis"),
    )
    reported_by = optional_organization(
        "reported_figures",
        help_text=_("The body whose statistics these are, e.g. the Board of Investment."),
        verbose_name=_("reported by"),
    )
    project_count = models.PositiveIntegerField(_("number of projects"), null=True, blank=True)
    share_percent = models.DecimalField(
        _("share of all foreign investment (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    rank = models.PositiveSmallIntegerField(_("rank among origin countries"), null=True, blank=True)
    note = note_field()
    sources = sources_field("investment_figures")

    history = record_history()

    class Meta:
        verbose_name_plural = _("reported investment figures")
        ordering = ["-period_end", "origin_country"]
        verbose_name = _("reported investment figure")
        permissions = [
            ("publish_investmentfigure", "Can publish and unpublish reported investment figures")
        ]
        constraints = [
            *Publishable.Meta.constraints,
            *money_constraints("investments_figure"),
            choice_valid(
                "basis",
                Basis,
                "investments_figure_basis_valid",
                "Choose what was counted from the list.",
            ),
            not_negative(
                "project_count",
                "investments_figure_project_count_not_negative",
                "The number of projects cannot be negative.",
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

    def save(self, *args, **kwargs):
        # The page's address, when the editor (or a spreadsheet import) leaves it empty.
        if not self.slug:
            self.slug = self.free_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("investments:figure", args=[self.slug])

    @property
    def period_kind(self):
        return period_kind(self.period_start, self.period_end)

    def free_slug(self):
        """`figure_slug()`, with -2, -3 … added when another figure has it already."""
        base = figure_slug(self)
        taken = set(
            InvestmentFigure.objects.filter(slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        slug, number = base, 1
        while slug in taken:
            number += 1
            suffix = f"-{number}"
            slug = base[: FIGURE_SLUG_LENGTH - len(suffix)] + suffix
        return slug

    def quality_checks(self):
        return [
            *self.money_checks(),
            Check(
                _("projects"),
                self.project_count is not None,
                _("The number of projects is not given."),
                required=False,
            ),
        ]

    def clean(self):
        super().clean()
        if self.share_percent is not None and not 0 <= self.share_percent <= 100:
            raise ValidationError({"share_percent": "A share must be between 0 and 100 per cent."})
