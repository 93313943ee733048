"""Totals, breakdowns, facet counts and cited sources of published projects, read from the
tallies (tallies.py: ProjectTally, InvestorTally, SourceTally, and the same by the amount's
band) instead of the investment table.

The tallies group the projects by origin, destination, sector, stage, currency and the
years their period starts and ends (and by investor, or source), so they answer any
selection made with those filters alone: the investments list unfiltered or filtered by its
check boxes and a period, a sector's page, a chart's embed. A period bounded by a day
within a year takes the other years from the tallies and counts the projects of that year
itself, through the index of the date it compares. An amount range reads the tallies that
group by the amount's band as well, and counts the projects of the bands its bounds fall
within through the amount's index, in the same way. A selection with any other filter (a
search, an investor) is counted from the projects themselves. The answers are the same
either way; tests compare them.
"""

import contextlib
import operator
from collections import Counter, defaultdict
from datetime import date
from functools import reduce

from django.db import connection
from django.db.models import Count, F, Func, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from partnership.core.models import sources_cited
from partnership.sectors.models import Sector

from .models import (
    Investment,
    InvestorBandTally,
    InvestorTally,
    ProjectBandTally,
    ProjectTally,
    SourceBandTally,
    SourceTally,
    UncitedProject,
)

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
# The list's amount filters; a tally by band answers them in whole bands.
AMOUNT = {"amount_min_million", "amount_max_million", "amount_min", "amount_max"}
# Each tally's counterpart by the amount's band too.
BANDED = {
    ProjectTally: ProjectBandTally,
    InvestorTally: InvestorBandTally,
    SourceTally: SourceBandTally,
}
# What the tallies store for a value the project leaves empty.
NONE = {"sector_id": 0, "year": 0, "end_year": 0, "investor_id": 0}


class Tally:
    """The published projects whose values are among those `chosen` ({column: values}; a
    column not named: any value), whose period `period` (a Q of the tally's years, as
    `period_in_years` makes it) selects and whose amount `bands` (a Q of the bands, as
    `amount_in_bands` makes it; None: any amount, or none, read from the tallies without
    bands) does, and besides them the projects of `edge` (published projects whose period a
    bound within a year selects, or whose amount a bound within a band does, which the
    years and bands cannot), counted one by one under the same `chosen` values."""

    def __init__(self, period=None, edge=None, bands=None, **chosen):
        self.period = period or Q()
        self.edge = edge
        self.bands = bands
        self.chosen = {column: set(values) for column, values in chosen.items()}
        self._edge_rows = {}  # {tally model: the rows it would hold for `edge`}

    @classmethod
    def of(cls, filterset):
        """The tally of what an InvestmentFilter selects, or None if a filter in use is not
        one a tally answers, or the filters are not valid."""
        if filterset.is_bound and not filterset.is_valid():
            return None
        used = filterset.in_use()
        if not set(used) <= {*COLUMNS, *PERIOD, *AMOUNT}:
            return None
        selected, period, bands, edges = Investment.objects.published(), Q(), None, []
        if used.keys() & PERIOD:
            start, end = used.get("period_from"), used.get("period_to")
            period, days = period_in_years(start, end, filterset.period_wholly_within())
            selected = filterset.period_rule()(selected, start=start, end=end)
            edges.append(days)
        if used.keys() & AMOUNT:
            least, most = filterset.amount_range()
            bands, amounts = amount_in_bands(least, most)
            bounds = {"amount__gte": least, "amount__lte": most}
            selected = selected.filter(**{k: v for k, v in bounds.items() if v is not None})
            edges.append(amounts)
        edges = [edge for edge in edges if edge is not None]
        edge = selected.filter(reduce(operator.or_, edges)) if edges else None
        chosen = {
            COLUMNS[name]: values
            for name, values in used.items()
            if name in COLUMNS and name != "sector"
        }
        if "sector" in used:
            chosen["sector_id"] = sector_and_industries(used["sector"])
        return cls(period, edge, bands, **chosen)

    def without(self, column):
        """The same selection with any value of `column`: what a facet counts under."""
        chosen = {name: values for name, values in self.chosen.items() if name != column}
        other = Tally(self.period, self.edge, self.bands, **chosen)
        other._edge_rows = self._edge_rows  # the same projects, counted once for both
        return other

    def tally_model(self, plain):
        """The tally this selection reads for `plain` (ProjectTally, InvestorTally or
        SourceTally): its counterpart by band where an amount is bounded."""
        return plain if self.bands is None else BANDED[plain]

    def rows(self, model=ProjectTally):
        lookups = {f"{column}__in": values for column, values in self.chosen.items()}
        return (
            self.tally_model(model)
            .objects.filter(self.period, self.bands or Q(), projects__gt=0, **lookups)
            .order_by()
        )

    def edge_rows(self, model=ProjectTally):
        """The rows `model` would hold for the `edge` projects alone, as tuples of the
        columns of FIELDS (their places: `at(model)`), those among the `chosen` values. One
        query per model, the first time."""
        if self.edge is None:
            return []
        model = self.tally_model(model)
        if model not in self._edge_rows:
            self._edge_rows[model] = list(counted(model, self.edge))
        rows, at = self._edge_rows[model], PLACES[model]
        for column, values in self.chosen.items():
            place = at[column]
            rows = [row for row in rows if row[place] in values]
        return rows

    def at(self, model):
        """{column: its place in the rows of `edge_rows(model)`}."""
        return PLACES[self.tally_model(model)]

    # Totals --------------------------------------------------------------------------------

    def _sums(self, *columns):
        """{values of `columns`: {"t", "c", "s"}}: the amounts stated summed, the projects
        and those stating an amount. One query, and the edge's the first time."""
        sums = {
            tuple(row[c] for c in columns): row
            for row in self.rows().values(*columns).annotate(**_MEASURES)
        }
        at = self.at(ProjectTally)
        places = [at[c] for c in columns]
        total, projects, stated = at["total"], at["projects"], at["stated"]
        for row in self.edge_rows():
            summed = sums.setdefault(tuple(row[i] for i in places), {"t": 0, "c": 0, "s": 0})
            summed["t"] += row[total]
            summed["c"] += row[projects]
            summed["s"] += row[stated]
        return sums

    def overall(self):
        """One row per currency, as totals.overall_totals gives them. One query."""
        sums = self._sums("currency")
        return [_measured(sums[key], currency=key[0]) for key in sorted(sums)]

    def grouped(self, column):
        """{(value, currency): {"total", "count", "counted"}} by `column` of the project tally
        (None for a value left empty). One query."""
        return {
            (_value(column, value), currency): _measured(summed)
            for (value, currency), summed in self._sums(column, "currency").items()
        }

    # Facets --------------------------------------------------------------------------------

    def counts(self, column):
        """{value: projects} by `column` under the other filters in use. One query."""
        model = InvestorTally if column == "investor_id" else ProjectTally
        other = self.without(column)
        rows = other.rows(model).values_list(column).annotate(n=Sum("projects"))
        counts = Counter(dict(rows))
        at = self.at(model)
        place, projects = at[column], at["projects"]
        for row in other.edge_rows(model):
            counts[row[place]] += row[projects]
        counts.pop(NONE.get(column, ""), None)
        return counts

    # Sources -------------------------------------------------------------------------------

    def source_ids_by_currency(self):
        """{currency: {source pk}}: the sources the selected projects cite. One query."""
        found = defaultdict(set)
        pairs = self.rows(SourceTally).values_list("currency", "source_id").distinct()
        at = self.at(SourceTally)
        first, second = at["currency"], at["source_id"]
        pairs = [*pairs, *((row[first], row[second]) for row in self.edge_rows(SourceTally))]
        for currency, source_id in pairs:
            found[currency].add(source_id)
        return found


_MEASURES = {"t": Sum("total"), "c": Sum("projects"), "s": Sum("stated")}


def _measured(summed, **named):
    """The totals' own names: no amount stated sums to None, as SUM over the projects does."""
    total = summed["t"] if summed["s"] else None
    return {"total": total, "count": summed["c"], "counted": summed["s"], **named}


def _value(column, value):
    return None if value == NONE.get(column, "") else value


def period_in_years(start, end, within=False):
    """How the tallies answer the period filters, as period_overlaps and period_within
    select the projects (overlapping the days from `start` to `end`, or, `within`, lying
    wholly among them; no bound: any period, or none): (a Q of the tallies' years, a Q of
    the projects to count one by one, or None when the years answer alone).

    Each bound compares a date of the period: overlapping, `start` its last day and `end`
    its first; within, the other way round. A bound on a year's first day (`start`) or last
    (`end`) is answered in years. One within a year takes the years after it (before it,
    for `end`) from the tallies and leaves the projects whose compared date falls in its own
    year, on its side of the bound, to be counted one by one, found through that date's
    index.

    A project's period starts in `year`, or in `end_year` if it states only its end; it ends
    in `end_year`; 0 in both: no period, which no bound selects."""
    years, days = Q(), []
    if start:
        compared = FIRST_DAY if within else LAST_DAY
        whole = (start.month, start.day) == (1, 1)
        years &= compared.year_from(start.year if whole else start.year + 1)
        if not whole:
            days.append(compared.between(start, date(start.year, 12, 31)))
    if end:
        compared = LAST_DAY if within else FIRST_DAY
        whole = (end.month, end.day) == (12, 31)
        years &= compared.year_to(end.year if whole else end.year - 1)
        if not whole:
            days.append(compared.between(date(end.year, 1, 1), end))
    return years, reduce(operator.or_, days) if days else None


class PeriodDay:
    """A period's first day (`field` period_start, `other` period_end) or its last (the
    other way round); a period stating one date has it for both. `year` is the tallies'
    column of its year where the period states its `field`."""

    def __init__(self, field, other, year):
        self.field, self.other, self.year = field, other, year

    def year_from(self, first):
        """Tallies' rows whose day is in the year `first` or later."""
        if self.year == "end_year":
            return Q(end_year__gte=first)
        return Q(year__gte=first) | Q(year=0, end_year__gte=first)

    def year_to(self, last):
        """Tallies' rows whose day is in a year up to `last`."""
        if self.year == "end_year":
            return Q(end_year__range=(1, last))
        return Q(year__range=(1, last)) | Q(year=0, end_year__range=(1, last))

    def between(self, first, last):
        """Projects whose day is from `first` to `last`: each side through its date's index."""
        days = (first, last)
        return Q(**{f"{self.field}__range": days}) | Q(
            **{f"{self.field}__isnull": True, f"{self.other}__range": days}
        )


FIRST_DAY = PeriodDay("period_start", "period_end", "year")
LAST_DAY = PeriodDay("period_end", "period_start", "end_year")


def amount_in_bands(least, most):
    """How the tallies by band answer an amount range from `least` to `most` (None: no
    bound), as the amount filters select the projects: (a Q of the tallies' bands, a Q of the
    projects to count one by one, or None when whole bands answer alone).

    The bands wholly within the range come from the tallies: from the first to begin at
    `least` or above, up to the last to end at `most` or below. The projects of the band a
    bound falls within, on its side of the bound, are counted one by one, found through the
    amount's index: none for a lower bound where a band begins, only those of that very
    amount for an upper one. Band 0 (no amount) is never chosen: a range selects only
    projects stating an amount."""
    first, last, edges = 1, None, []
    if least is not None and least > 0:
        first = band_of(least)
        if band_floor(first) != least:
            first = following(first)
            edges.append(Q(amount__gte=least, amount__lt=band_floor(first)))
    if most is not None:
        within = band_of(most)
        last = preceding(within)
        edges.append(Q(amount__gte=band_floor(within), amount__lte=most))
    if last is not None and last < first:
        # No band lies wholly within the range: its projects are all counted one by one.
        bounds = {"amount__gte": least, "amount__lte": most}
        return Q(pk__in=[]), Q(**{k: v for k, v in bounds.items() if v is not None})
    bands = Q(band__gte=first) if last is None else Q(band__range=(first, last))
    return bands, reduce(operator.or_, edges) if edges else None


# Where the bands begin: 1, 2 and 5 times each power of ten (see AmountBand).
BAND_LEADS = (1, 2, 5)


def band_of(amount):
    """The band of `amount` (not negative), as AmountBand gives it in the database for an
    amount stored exactly (SQLite keeps one with cents above 2**53 inexactly)."""
    if amount < 1:
        return 1
    whole = str(int(amount))
    return 3 * len(whole) + sum(whole[0] >= str(lead) for lead in BAND_LEADS[1:])


def band_floor(band):
    """The least amount of `band`: 0 for band 1 (below one)."""
    if band < 3:
        return 0
    digits, lead = divmod(band, 3)
    return BAND_LEADS[lead] * 10 ** (digits - 1)


def following(band):
    """The band after `band`."""
    return 3 if band == 1 else band + 1


def preceding(band):
    """The band before `band`; 0 (no band) before band 1."""
    return {1: 0, 3: 1}.get(band, band - 1)


class AmountBand(Func):
    """The band of the amount, as the tallies by band store it (migration 0017): 0 where
    none is stated, 1 below one; from one, three times the digits of its whole part, plus 0
    where those begin with 1, 1 with 2 to 4, 2 with 5 to 9."""

    output_field = IntegerField()
    arity = 1
    WHOLE = {
        "sqlite": "CAST(CAST({amount} AS INTEGER) AS TEXT)",
        "postgresql": "TRUNC({amount})::text",
    }

    def as_sql(self, compiler, connection, **extra_context):
        amount, params = compiler.compile(self.source_expressions[0])
        whole = self.WHOLE[connection.vendor].format(amount=amount)
        sql = (
            f"CASE WHEN {amount} IS NULL THEN 0 WHEN {amount} < 1 THEN 1 "
            f"ELSE 3 * LENGTH({whole}) + CASE SUBSTR({whole}, 1, 1) "
            "WHEN '1' THEN 0 WHEN '2' THEN 1 WHEN '3' THEN 1 WHEN '4' THEN 1 ELSE 2 END END"
        )
        return sql, (*params, *params, *params, *params)


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
# The triggers that keep the tallies (migrations 0011, 0013 and 0017) and the projects
# citing no source (0016), by the table they watch; on SQLite each is several, named with this as
# their prefix.
TRIGGERS = {
    Investment._meta.db_table: ("investment_tally", "investment_band_tally", "investment_uncited"),
    LINKS._meta.db_table: ("source_tally", "source_band_tally", "source_uncited"),
}


def _key(prefix="", banded=False):
    """What the tallies group by (Tally.DIMENSIONS; Banded.DIMENSIONS, `banded`), as
    expressions of a project."""
    band = [AmountBand(F(f"{prefix}amount"))] if banded else []
    return [
        F(f"{prefix}origin_country"),
        F(f"{prefix}destination_country"),
        Coalesce(F(f"{prefix}sector_id"), Value(0)),
        F(f"{prefix}stage"),
        F(f"{prefix}currency"),
        Coalesce(PeriodYear(f"{prefix}period_start"), Value(0)),
        Coalesce(PeriodYear(Coalesce(f"{prefix}period_end", f"{prefix}period_start")), Value(0)),
        *band,
    ]


def _grouped(rows, *expressions, **measures):
    named = {f"k{i}": expression for i, expression in enumerate(expressions)}
    return rows.order_by().values(**named).annotate(**measures).values_list(*named, *measures)


# Each tally's columns, in the order `counted` gives them.
FIELDS = {
    ProjectTally: [*ProjectTally.DIMENSIONS, "projects", "stated", "total"],
    ProjectBandTally: [*ProjectBandTally.DIMENSIONS, "projects", "stated", "total"],
    InvestorTally: ["investor_id", *InvestorTally.DIMENSIONS, "projects"],
    InvestorBandTally: ["investor_id", *InvestorBandTally.DIMENSIONS, "projects"],
    SourceTally: ["source_id", *SourceTally.DIMENSIONS, "projects"],
    SourceBandTally: ["source_id", *SourceBandTally.DIMENSIONS, "projects"],
}
PLACES = {model: {name: i for i, name in enumerate(names)} for model, names in FIELDS.items()}


def counted(model, projects):
    """The rows the tally `model` holds for `projects` (published ones), counted from them:
    a query grouping them, its values in the order of FIELDS[model]."""
    banded = model in BANDED.values()
    if model in (ProjectTally, ProjectBandTally):
        total = Coalesce(Sum("amount"), Value(0), output_field=model._meta.get_field("total"))
        return _grouped(
            projects,
            *_key(banded=banded),
            projects=Count("pk"),
            stated=Count("amount"),
            total=total,
        )
    if model in (InvestorTally, InvestorBandTally):
        investor = Coalesce(F("investor_id"), Value(0))
        return _grouped(projects, investor, *_key(banded=banded), projects=Count("pk"))
    links = LINKS.objects.filter(investment__in=projects.values("pk"))
    key = _key("investment__", banded=banded)
    return _grouped(links, F("source_id"), *key, projects=Count("pk"))


def rebuild():
    """Every tally by band counted afresh from the published projects, one grouped pass
    each, the tallies without bands summed from those over the bands, and the projects that
    cite no source found afresh among them all; written as they are read."""
    projects = Investment.objects.published()
    uncited = Investment.objects.filter(~sources_cited(Investment))
    rows = {}
    for plain, banded in BANDED.items():
        rows[banded] = counted(banded, projects)
        measures = [name for name in FIELDS[plain] if name in {"projects", "stated", "total"}]
        key = [F(name) for name in FIELDS[plain] if name not in measures]
        rows[plain] = _grouped(banded.objects.all(), *key, **{m: Sum(m) for m in measures})
    rows[UncitedProject] = uncited.order_by().values_list("pk")
    columns = {**FIELDS, UncitedProject: ["investment_id"]}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model, found in rows.items():
            model.objects.all().delete()
            # Straight into the table: INSERT … SELECT, nothing read back.
            select, params = found.query.sql_with_params()
            names = ", ".join(quote(name) for name in columns[model])
            cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {select}", params)


@contextlib.contextmanager
def bulk_load():
    """Projects written inside the block enter the tallies (and, citing no source, the
    UncitedProject rows) in one pass at its end rather than through the triggers a row at a
    time: for a bulk load in one transaction (`synthesize`). Outside a transaction the
    block runs as it is."""
    if not connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # GLOB, where "_" is itself (in LIKE, any character).
            prefixes = [f"{prefix}_*" for prefixes in TRIGGERS.values() for prefix in prefixes]
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND ("
                + " OR ".join(["name GLOB %s"] * len(prefixes))
                + ")",
                prefixes,
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
    """ENABLE or DISABLE the triggers of TRIGGERS on PostgreSQL. A table's triggers cannot
    change while checks of its foreign keys wait for the end of the transaction, so those
    are made now; they wait again afterwards, as Django's foreign keys are declared to."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table, triggers in TRIGGERS.items():
        for trigger in triggers:
            cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {trigger}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
