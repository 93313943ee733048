"""What a source reported and when: the basis of a link between two records, a status
dated as of the source that reported it, and the dated steps in a record's life.

A link between records (an initiative serving a cooperation area, falling under an
agreement) is either *stated* by a cited source, which the link names, or *inferred*: the
editors' reading, which the link explains in one line. A status ("Active", "In force") is
true as of the day a source reported it; with no such day it is shown "as last reported",
never as today's.
"""

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from partnership.core.constraints import precision_valid
from partnership.core.dates import DatePrecision, format_fuzzy_date
from partnership.core.fields import precision_field, stating_source


class LinkBasis(models.TextChoices):
    STATED = "stated", _("Stated in a source")
    INFERRED = "inferred", _("Editors' reading")


STATED_NEEDS_SOURCE = "A link stated in a source needs that source: choose it."
INFERRED_NEEDS_REASON = "A link that is the editors' reading needs a one-line reason."


def _check(condition, name, message):
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def link_basis_constraints(prefix, *, basis, reason, source, linked=None):
    """The named checks of a link's basis.

    `basis` is stated or inferred (or, when `linked`, the field holding the linked record,
    is empty, also left empty); a stated link names its `source`, an inferred one gives its
    `reason`.
    """
    valid = Q(**{f"{basis}__in": LinkBasis.values})
    if linked:
        valid |= Q(**{f"{linked}__isnull": True, basis: ""})
    return [
        _check(valid, f"{prefix}_basis_valid", "Say whether a source states the link."),
        _check(
            ~Q(**{basis: LinkBasis.STATED}) | Q(**{f"{source}__isnull": False}),
            f"{prefix}_stated_link_cites_source",
            STATED_NEEDS_SOURCE,
        ),
        _check(
            ~Q(**{basis: LinkBasis.INFERRED}) | ~Q(**{reason: ""}),
            f"{prefix}_inferred_link_gives_reason",
            INFERRED_NEEDS_REASON,
        ),
    ]


def link_basis_errors(basis, reason, source_id, *, fields):
    """The form errors of a link's basis, keyed by the names in `fields` (basis, reason,
    source), for a model's `clean()`."""
    errors = {}
    if basis == LinkBasis.STATED and source_id is None:
        errors[fields["source"]] = STATED_NEEDS_SOURCE
    if basis == LinkBasis.INFERRED and not (reason or "").strip():
        errors[fields["reason"]] = INFERRED_NEEDS_REASON
    return errors


# Dated statuses ---------------------------------------------------------------------------


def as_of_text(value, precision=DatePrecision.DAY):
    """ "as of January 2022"; "as last reported" when no source dated it."""
    if value is None:
        return gettext("as last reported")
    return gettext("as of %(date)s") % {"date": format_fuzzy_date(value, precision)}


class ReportedStatus(models.Model):
    """A status as a source reported it, with the day (or month, or year) it reported it.

    The model declares its own `status` field; `status_label` reads "Active (as of January
    2022)", or "Active (as last reported)" when no source dated it.
    """

    status_as_of = models.DateField(
        _("status as of"),
        null=True,
        blank=True,
        help_text=_(
            "The date of the source that reported the status. Leave empty when no "
            "source dates it: the site then says “as last reported” and gives no date."
        ),
    )
    status_as_of_precision = models.CharField(
        _("status date known to the"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
    )
    status_source = stating_source(
        _("status reported in"), help_text=_("The source that reported the status on that date.")
    )

    class Meta:
        abstract = True
        constraints = [
            precision_valid(
                "status_as_of_precision", name="%(app_label)s_%(class)s_status_precision_valid"
            ),
            _check(
                Q(status_as_of__isnull=True) | Q(status_source__isnull=False),
                "%(app_label)s_%(class)s_dated_status_cites_source",
                "A dated status needs the source that reported it.",
            ),
        ]

    @property
    def status_as_of_text(self):
        return as_of_text(self.status_as_of, self.status_as_of_precision)

    @property
    def status_label(self):
        return pgettext("status", "%(status)s (%(as_of)s)") % {
            "status": self.get_status_display(),
            "as_of": self.status_as_of_text,
        }


def as_of_summary(queryset):
    """How the statuses of `queryset` are dated, in words, from one query: "as of January
    2022"; "as of dates from 13 January 2022 to January 2023"; "with no date given by the
    sources" when no source dated any of them; with "(2 with no date)" added when some are
    dated and some are not. Empty for no rows."""
    rows = list(
        queryset.order_by()
        .values("status_as_of", "status_as_of_precision")
        .annotate(count=Count("pk"))
        .order_by("status_as_of")
    )
    dated = [row for row in rows if row["status_as_of"] is not None]
    undated = sum(row["count"] for row in rows if row["status_as_of"] is None)
    if not dated:
        return gettext("with no date given by the sources") if undated else ""
    first, last = dated[0], dated[-1]
    first_text = format_fuzzy_date(first["status_as_of"], first["status_as_of_precision"])
    last_text = format_fuzzy_date(last["status_as_of"], last["status_as_of_precision"])
    if first_text == last_text:
        text = gettext("as of %(date)s") % {"date": first_text}
    else:
        text = gettext("as of dates from %(first)s to %(last)s") % {
            "first": first_text,
            "last": last_text,
        }
    if undated:
        text += " " + ngettext("(%(count)s with no date)", "(%(count)s with no date)", undated) % {
            "count": undated
        }
    return text


class DatedStep(models.Model):
    """A dated step in a record's life (an agreement's actions and events, an initiative's
    milestones): a day, and how well it is known; listed by date."""

    date = models.DateField(verbose_name=_("date"))
    date_precision = precision_field()

    class Meta:
        abstract = True
        ordering = ["date", "pk"]
