"""Totals, breakdowns, facet counts and cited sources of published projects, read from the
tallies (tallies.py: ProjectTally, InvestorTally, SourceTally) instead of the investment table.

The tallies group the projects by origin, destination, sector, stage, currency and the
years their period starts and ends (and by investor, or source), so they answer any
selection made with those filters alone: the investments list unfiltered or filtered by its
check boxes and a period of whole years, a sector's page, a chart's embed. A selection with
any other filter (a search, an investor, an amount, a period bounded by a day within a
year) is counted from the projects themselves. The answers are the same either way; tests
compare them.
"""

import contextlib
from collections import Counter, defaultdict

from django.db import connection
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from partnership.sectors.models import Sector

from .models import Investment, InvestorTally, ProjectTally, SourceTally

# The list's filters a tally answers, and the tally column each picks by.
COLUMNS = {
    "origin": "origin_country",
    "destination": "destination_country",
    "sector": "sector_id",
    "stage": "stage",
    "currency": "currency",
}
# The list's period filters; a tally answers them in whole years.
PERIOD = {"period_from", "period_to", "period_match"}
# What the tallies store for a value the project leaves empty.
NONE = {"sector_id": 0, "year": 0, "end_year": 0, "investor_id": 0}


class Tally:
    """The published projects whose values are among those `chosen` ({column: values}; a
    column not named: any value) and whose period `period` (a Q of the tally's years, as
    `period_in_years` makes it) selects."""

    def __init__(self, period=None, **chosen):
        self.period = period or Q()
        self.chosen = {column: set(values) for column, values in chosen.items()}

    @classmethod
    def of(cls, filterset):
        """The tally of what an InvestmentFilter selects, or None if a filter in use is not
        one a tally answers, or the filters are not valid."""
        if filterset.is_bound and not filterset.is_valid():
            return None
        used = filterset.in_use()
        if not set(used) <= {*COLUMNS, *PERIOD}:
            return None
        period = Q()
        if used.keys() & PERIOD:
            within = filterset.period_wholly_within()
            period = period_in_years(used.get("period_from"), used.get("period_to"), within)
            if period is None:
                return None
        chosen = {
            COLUMNS[name]: values
            for name, values in used.items()
            if name in COLUMNS and name != "sector"
        }
        if "sector" in used:
            chosen["sector_id"] = sector_and_industries(used["sector"])
        return cls(period, **chosen)

    def without(self, column):
        """The same selection with any value of `column`: what a facet counts under."""
        chosen = {name: values for name, values in self.chosen.items() if name != column}
        return Tally(self.period, **chosen)

    def rows(self, model=ProjectTally):
        lookups = {f"{column}__in": values for column, values in self.chosen.items()}
        return model.objects.filter(self.period, projects__gt=0, **lookups).order_by()

    # Totals --------------------------------------------------------------------------------

    def overall(self):
        """One row per currency, as totals.overall_totals gives them. One query."""
        return [
            _measured(row)
            for row in self.rows().values("currency").annotate(**_MEASURES).order_by("currency")
        ]

    def grouped(self, column):
        """{(value, currency): {"total", "count", "counted"}} by `column` of the project tally
        (None for a value left empty). One query."""
        groups = self.rows().values(column, "currency").annotate(**_MEASURES)
        return {(_value(column, row[column]), row["currency"]): _measured(row) for row in groups}

    # Facets --------------------------------------------------------------------------------

    def counts(self, column):
        """{value: projects} by `column` under the other filters in use. One query."""
        model = InvestorTally if column == "investor_id" else ProjectTally
        rows = self.without(column).rows(model).values_list(column).annotate(n=Sum("projects"))
        return Counter({value: n for value, n in rows if value != NONE.get(column, "")})

    # Sources -------------------------------------------------------------------------------

    def source_ids_by_currency(self):
        """{currency: {source pk}}: the sources the selected projects cite. One query."""
        found = defaultdict(set)
        pairs = self.rows(SourceTally).values_list("currency", "source_id").distinct()
        for currency, source_id in pairs:
            found[currency].add(source_id)
        return found


_MEASURES = {"t": Sum("total"), "c": Sum("projects"), "s": Sum("stated")}


def _measured(row):
    """The totals' own names: no amount stated sums to None, as SUM over the projects does."""
    measured = {"total": row["t"] if row["s"] else None, "count": row["c"], "counted": row["s"]}
    if "currency" in row:
        measured["currency"] = row["currency"]
    return measured


def _value(column, value):
    return None if value == NONE.get(column, "") else value


def period_in_years(start, end, within=False):
    """The tallies' rows of the projects whose period overlaps the days from `start` to
    `end` (or, `within`, lies wholly among them), as period_overlaps and period_within select
    the projects; None where a bound is not a whole year's (the first day of a year for
    `start`, the last for `end`), which years alone cannot answer. No bound: any period, or
    none.

    A project's period starts in `year`, or in `end_year` if it states only its end; it ends
    in `end_year`; 0 in both: no period, which no bound selects."""
    if (start and (start.month, start.day) != (1, 1)) or (end and (end.month, end.day) != (12, 31)):
        return None
    chosen = Q()
    if start and within:  # starts in `start`'s year or later
        chosen &= Q(year__gte=start.year) | Q(year=0, end_year__gte=start.year)
    elif start:  # ends in `start`'s year or later
        chosen &= Q(end_year__gte=start.year)
    if end and within:  # ends in `end`'s year or earlier
        chosen &= Q(end_year__range=(1, end.year))
    elif end:  # starts in `end`'s year or earlier
        chosen &= Q(year__range=(1, end.year)) | Q(year=0, end_year__range=(1, end.year))
    return chosen


def sector_and_industries(sectors):
    """The primary keys of `sectors` and of the industries within them, as the sector filter
    selects them. One query."""
    chosen = [sector.pk for sector in sectors]
    children = Sector.objects.filter(parent__in=chosen).values_list("pk", flat=True)
    return {*chosen, *children}


class PeriodYear(ExtractYear):
    """The year of a date. On SQLite, where dates are stored as 'YYYY-MM-DD' text, read the
    first four characters instead of calling Django's Python date function once per row
    (several times faster on a large table); other databases extract the year natively."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(SUBSTR({sql}, 1, 4) AS INTEGER)", params


# Counting afresh ------------------------------------------------------------------------------

LINKS = Investment.sources.through
# The triggers that keep the tallies (migrations 0011 and 0013), by the table they watch; on
# SQLite each is several, named with this as their prefix.
TRIGGERS = {Investment._meta.db_table: "investment_tally", LINKS._meta.db_table: "source_tally"}


def rebuild():
    """Every tally counted afresh from the published projects: one grouped pass each, written
    as it is read."""

    def key(prefix=""):
        return [
            F(f"{prefix}origin_country"),
            F(f"{prefix}destination_country"),
            Coalesce(F(f"{prefix}sector_id"), Value(0)),
            F(f"{prefix}stage"),
            F(f"{prefix}currency"),
            Coalesce(PeriodYear(f"{prefix}period_start"), Value(0)),
            Coalesce(
                PeriodYear(Coalesce(f"{prefix}period_end", f"{prefix}period_start")), Value(0)
            ),
        ]

    def grouped(rows, *expressions, **measures):
        named = {f"k{i}": expression for i, expression in enumerate(expressions)}
        return rows.order_by().values(**named).annotate(**measures).values_list(*named, *measures)

    projects = Investment.objects.published()
    tallies = {
        ProjectTally: grouped(
            projects,
            *key(),
            projects=Count("pk"),
            stated=Count("amount"),
            total=Coalesce(
                Sum("amount"), Value(0), output_field=ProjectTally._meta.get_field("total")
            ),
        ),
        InvestorTally: grouped(
            projects, Coalesce(F("investor_id"), Value(0)), *key(), projects=Count("pk")
        ),
        SourceTally: grouped(
            LINKS.objects.filter(investment__in=projects.values("pk")),
            F("source_id"),
            *key("investment__"),
            projects=Count("pk"),
        ),
    }
    columns = {
        ProjectTally: [*ProjectTally.DIMENSIONS, "projects", "stated", "total"],
        InvestorTally: ["investor_id", *InvestorTally.DIMENSIONS, "projects"],
        SourceTally: ["source_id", *SourceTally.DIMENSIONS, "projects"],
    }
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, rows in tallies.items():
            model.objects.all().delete()
            # The grouped rows go straight into the tally: INSERT … SELECT, nothing read back.
            select, params = rows.query.sql_with_params()
            names = ", ".join(quote(name) for name in columns[model])
            cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {select}", params)


@contextlib.contextmanager
def bulk_load():
    """Projects written inside the block enter the tallies in one pass at its end rather
    than through the triggers a row at a time: for a bulk load in one transaction
    (`synthesize`). Outside a transaction the block runs as it is."""
    if not connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND ("
                + " OR ".join(["name LIKE %s"] * len(TRIGGERS))
                + ")",
                [f"{prefix}_%" for prefix in TRIGGERS.values()],
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f"DROP TRIGGER {name}")
        else:
            switch_triggers(cursor, "DISABLE")
        # An error inside the block rolls the transaction back, the triggers with it.
        yield
        rebuild()
        if connection.vendor == "sqlite":
            for _, create in triggers:
                cursor.execute(create)
        else:
            switch_triggers(cursor, "ENABLE")


def switch_triggers(cursor, action):
    """ENABLE or DISABLE the tallies' triggers on PostgreSQL. A table's triggers cannot change
    while checks of its foreign keys wait for the end of the transaction, so those are made
    now; they wait again afterwards, as Django's foreign keys are declared to."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table, trigger in TRIGGERS.items():
        cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {trigger}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
