"""Fields several models declare alike, each written (and explained to editors) once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partnership.core.dates import DatePrecision


def optional_link(to, on_delete, related_name, **options):
    """A link to another record that editors may leave empty (NULL in the database)."""
    return models.ForeignKey(
        to, on_delete, null=True, blank=True, related_name=related_name, **options
    )


def part_of(to, related_name, verbose_name):
    """The record a part belongs to (an agreement's parties, an initiative's milestones):
    the part goes when the record is deleted."""
    return models.ForeignKey(
        to, on_delete=models.CASCADE, related_name=related_name, verbose_name=verbose_name
    )


def stating_source(verbose_name, **options):
    """The source stating a link or reporting a status, which may be left empty."""
    return optional_link("core.Source", models.PROTECT, "+", verbose_name=verbose_name, **options)


def reason_field(help_text):
    """Why the editors read a link no source states (core.reported.LinkBasis.INFERRED)."""
    return models.CharField(
        _("reason for the editors' reading"), max_length=300, blank=True, help_text=help_text
    )


def optional_decimal(help_text, **options):
    """A number with up to 18 digits before the point and 2 after, which may be left empty."""
    return models.DecimalField(
        max_digits=20, decimal_places=2, null=True, blank=True, help_text=help_text, **options
    )


PRECISION_NAME = _("date known to the")


def precision_field(verbose_name=PRECISION_NAME, **options):
    """How well the date beside it is known: to the day, the month or only the year."""
    return models.CharField(
        verbose_name, max_length=5, choices=DatePrecision, default=DatePrecision.DAY, **options
    )


def uncertainty_field():
    """What the sources leave unsettled about a record; the public sees it as a caution."""
    return models.TextField(
        _("what is uncertain"),
        blank=True,
        help_text=_("Anything the sources leave unsettled. Shown to the public as a caution."),
    )


def aliases_field():
    """Other names a reader may look the record up by; the site search finds them."""
    return models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "One per line: former names, spellings the sources use (e.g. “Smart "
            "Monosukuri”), acronyms, the name in Thai or Japanese. The site search finds the "
            "record by any of them."
        ),
    )


def description_field():
    """Free text about the record, shown on its page; it may be left empty."""
    return models.TextField(blank=True, verbose_name=_("description"))


def sources_field(related_name, **options):
    """The sources a record cites for what it says."""
    return models.ManyToManyField(
        "core.Source", blank=True, related_name=related_name, verbose_name=_("sources"), **options
    )


def note_field(max_length=300, help_text=""):
    """A remark on the row that editors may leave empty; without `max_length`, a longer text."""
    field = models.CharField if max_length else models.TextField
    return field(max_length=max_length, blank=True, help_text=help_text, verbose_name=_("note"))


SUMMARY_HELP = _("One or two sentences a newcomer understands.")


def summary_field(help_text=SUMMARY_HELP):
    """The short account of a record that lists and the top of its page show."""
    return models.CharField(
        max_length=400, blank=True, help_text=help_text, verbose_name=_("summary")
    )
