"""The tallies of the published projects: how many there are, and what they sum, for each
combination of the values the investments list's facets and charts group by (tens of
thousands of rows where the projects number a million).

Database triggers on the investment table and its source links keep them in step with
every change, whatever makes it (a save, a bulk update, an import, raw SQL), in the same
transaction (migrations 0011, 0013 and 0017). What a project leaves empty is stored as 0 or
"" rather than NULL, so that each combination is one row. Read by tally.py.

Beside them, kept the same way (migration 0016), the projects that cite no source, for the
admin's filter of them.
"""

from django.db import models


class Tally(models.Model):
    """What every tally groups by: origin, destination, sector, stage, currency and the
    years of the period (a project with one date: its year for both)."""

    origin_country = models.CharField(max_length=2)
    destination_country = models.CharField(max_length=2)
    sector_id = models.IntegerField(help_text="0: no sector")
    stage = models.CharField(max_length=20)
    currency = models.CharField(max_length=3)
    year = models.IntegerField(help_text="The year the period starts; 0: no start stated")
    end_year = models.IntegerField(
        help_text="The year the period ends, or starts if no end is stated; 0: no period"
    )
    projects = models.IntegerField()

    DIMENSIONS = [
        "origin_country",
        "destination_country",
        "sector_id",
        "stage",
        "currency",
        "year",
        "end_year",
    ]

    class Meta:
        abstract = True
        # Kept by the database alone: no one edits a tally, and it is no part of the record.
        default_permissions = ()

    def __str__(self):
        return f"{self.projects} projects"


class ProjectCounts(Tally):
    """How many projects (`projects`), how many state an amount (`stated`) and the sum of
    those amounts (`total`)."""

    stated = models.IntegerField()
    total = models.DecimalField(max_digits=30, decimal_places=2)

    class Meta(Tally.Meta):
        abstract = True


class ProjectTally(ProjectCounts):
    """Published projects by origin, destination, sector, stage, currency and period: how
    many, how many state an amount and the sum of those amounts."""

    class Meta(Tally.Meta):
        constraints = [
            models.UniqueConstraint(fields=Tally.DIMENSIONS, name="project_tally_unique")
        ]


class ByInvestor(Tally):
    """How many projects of each investor."""

    investor_id = models.IntegerField(help_text="0: no investor named")

    class Meta(Tally.Meta):
        abstract = True


class BySource(Tally):
    """How many projects cite each source."""

    source_id = models.IntegerField()

    class Meta(Tally.Meta):
        abstract = True


class InvestorTally(ByInvestor):
    """Published projects by investor, origin, destination, sector, stage, currency and
    period: how many, for the investor facet's counts."""

    class Meta(Tally.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["investor_id", *Tally.DIMENSIONS], name="investor_tally_unique"
            )
        ]


class SourceTally(BySource):
    """Published projects citing each source, by origin, destination, sector, stage,
    currency and period: which sources the charts of a selection name under them."""

    class Meta(Tally.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["source_id", *Tally.DIMENSIONS], name="source_tally_unique"
            )
        ]


# By the amount's band too --------------------------------------------------------------------


class Banded(models.Model):
    """A tally grouped by the band of the amount as well (recount.AmountBand): 1, 2 and 5
    times each power of ten are where bands begin, so that an amount range reads whole
    bands here and counts one by one only the projects of the bands its bounds fall
    within. Kept beside the tallies above, which the pages without an amount range read:
    more rows (at a million projects, 232,000 by band against 56,000 for the projects,
    775,000 against 578,000 by investor, 325,000 against 95,000 by source)."""

    band = models.IntegerField(
        help_text="0: no amount stated; 1: below one; see recount.AmountBand"
    )

    DIMENSIONS = [*Tally.DIMENSIONS, "band"]

    class Meta:
        abstract = True


class ProjectBandTally(Banded, ProjectCounts):
    """ProjectTally by the amount's band too."""

    class Meta(Tally.Meta):
        constraints = [
            models.UniqueConstraint(fields=Banded.DIMENSIONS, name="project_band_tally_unique")
        ]


class InvestorBandTally(Banded, ByInvestor):
    """InvestorTally by the amount's band too."""

    class Meta(Tally.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["investor_id", *Banded.DIMENSIONS], name="investor_band_tally_unique"
            )
        ]


class SourceBandTally(Banded, BySource):
    """SourceTally by the amount's band too."""

    class Meta(Tally.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["source_id", *Banded.DIMENSIONS], name="source_band_tally_unique"
            )
        ]


class UncitedProject(models.Model):
    """A project, draft or published, that cites no source: one row each, kept by triggers
    on the investment table and its source links (migration 0016) in the same transaction
    as every change, so that the admin's filter “cites no source” (or “cites a source”)
    reads these few rows rather than every project's links."""

    investment_id = models.BigIntegerField(primary_key=True)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return str(self.investment_id)
