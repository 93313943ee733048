"""Totals, breakdowns, facet counts and cited sources of published projects, read from the
tallies (tallies.py: ProjectTally, InvestorTally, SourceTally, and the same by the amount's
band) instead of the investment table.

The tallies group the projects by origin, destination, sector, stage, currency and the
years their period starts and ends (and by investor, or source), so they answer any
selection made with those filters alone: the investments list unfiltered or filtered by its
check boxes and a period, a sector's page, a chart's embed. A period bounded by a day
within a year takes the other years from the tallies and counts the projects of that year
itself, through the index of the date it compares. An amount range reads the tallies that
group by the amount's band as well; of a band a bound falls within, it counts through the
amount's index the projects on whichever side of the bound holds fewer, adding those in the
range or taking away from the whole band those beyond it. The projects counted one by one are
grouped only by what is read of them (EDGE_COLUMNS). A selection with any other filter (a
search, an investor) is counted from the projects themselves. The answers are the same
either way; tests compare them. What a tally holds for a set of projects, counted from them,
and the tallies counted afresh: recount.py.
"""

import operator
from collections import Counter, defaultdict
from datetime import date
from functools import reduce

from django.db.models import Count, Q, Sum

from partnership.sectors.models import Sector

from .models import Investment, InvestorTally, ProjectTally, SourceTally
from .recount import BANDED, FIELDS, MEASURES, counted

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
# What the tallies store for a value the project leaves empty.
NONE = {"sector_id": 0, "year": 0, "end_year": 0, "investor_id": 0}
# What the projects counted one by one are grouped by, for each tally (besides the columns
# chosen): what the totals and charts, the facets and the sources read of it (of the
# projects' tally, every column but the year the period ends). Grouped by every column of a
# tally, a crowded band's projects would make several times the rows.
EDGE_COLUMNS = {
    ProjectTally: set(ProjectTally.DIMENSIONS) - {"end_year"},
    InvestorTally: {"investor_id"},
    SourceTally: {"source_id", "currency"},
}


class Tally:
    """The published projects whose values are among those `chosen` ({column: values}; a
    column not named: any value), whose period `period` (a Q of the tally's years, as
    `period_in_years` makes it) selects and whose amount `bands` (a Q of the bands, as
    `amount_in_bands` makes it; None: any amount, or none, read from the tallies without
    bands) does, and besides them the projects of `edge` (published projects whose period a
    bound within a year selects, or whose amount a bound within a band does, which the
    years and bands cannot), less those of `removed` (the projects of a band read whole
    that lie beyond a bound within it), both counted one by one under the same `chosen`
    values."""

    def __init__(self, period=None, edge=None, bands=None, removed=None, **chosen):
        self.period = period or Q()
        self.edge = edge
        self.bands = bands
        self.removed = removed
        self.chosen = {column: set(values) for column, values in chosen.items()}
        self._edge_rows = {}  # {tally model: the rows of `edge`, and of `removed` taken away}
        self._edge_chosen = set(chosen)  # the columns those rows keep to pick the chosen by

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
        days = removed = None
        if used.keys() & PERIOD:
            start, end = used.get("period_from"), used.get("period_to")
            period, days = period_in_years(start, end, filterset.period_wholly_within())
            selected = filterset.period_rule()(selected, start=start, end=end)
            edges.append(days)
        if used.keys() & AMOUNT:
            least, most = filterset.amount_range()
            bands, amounts, beyond = amount_in_bands(least, most)
            if beyond is not None:
                # In the tallies' years (not among the days counted one by one), beyond a
                # bound within a band read whole.
                in_years = selected.exclude(days) if days is not None else selected
                removed = in_years.filter(beyond)
            selected = selected.filter(amount_between(least, most))
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
        return cls(period, edge, bands, removed, **chosen)

    def without(self, column):
        """The same selection with any value of `column`: what a facet counts under."""
        chosen = {name: values for name, values in self.chosen.items() if name != column}
        other = Tally(self.period, self.edge, self.bands, self.removed, **chosen)
        # The same projects, counted once for both.
        other._edge_rows, other._edge_chosen = self._edge_rows, self._edge_chosen
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
        """The rows `model` would hold for the `edge` projects alone, and those of the
        `removed` projects with their counts and sums negative, grouped by the columns of
        `edge_fields(model)` (their places: `at(model)`), those among the `chosen` values. A
        query or two per model, the first time."""
        if self.edge is None and self.removed is None:
            return []
        if model not in self._edge_rows:
            added, removed = self.edge_queries(model)
            rows = [] if added is None else list(added)
            if removed is not None:
                rows += _negative(self.at(model), removed)
            self._edge_rows[model] = rows
        rows, at = self._edge_rows[model], self.at(model)
        for column, values in self.chosen.items():
            place = at[column]
            rows = [row for row in rows if row[place] in values]
        return rows

    def edge_queries(self, model):
        """The queries counting the `edge` projects and the `removed` ones (None where there
        are none) for `edge_rows(model)`."""
        tallied, fields = self.tally_model(model), self.edge_fields(model)
        return [
            None if projects is None else counted(tallied, projects, fields)
            for projects in (self.edge, self.removed)
        ]

    def edge_fields(self, model):
        """The columns of `edge_rows(model)`: of its tally's (FIELDS), those EDGE_COLUMNS
        names for it, those with chosen values and the counts."""
        kept = {*EDGE_COLUMNS[model], *self._edge_chosen, *MEASURES}
        return [name for name in FIELDS[self.tally_model(model)] if name in kept]

    def at(self, model):
        """{column: its place in the rows of `edge_rows(model)`}."""
        return {name: place for place, name in enumerate(self.edge_fields(model))}

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
        return {key: summed for key, summed in sums.items() if summed["c"] > 0}

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
        return +counts  # a value whose projects were all taken away is left out

    # Sources -------------------------------------------------------------------------------

    def source_ids_by_currency(self):
        """{currency: {source pk}}: the sources the selected projects cite. One query."""
        pairs = self.rows(SourceTally).values_list("currency", "source_id")
        at = self.at(SourceTally)
        first, second, projects = at["currency"], at["source_id"], at["projects"]
        if self.removed is None:
            cited = Counter(dict.fromkeys(pairs.distinct(), 1))
        else:  # how many of the projects cite each, some to be taken away
            cited = Counter({(c, s): n for c, s, n in pairs.annotate(n=Sum("projects"))})
        for row in self.edge_rows(SourceTally):
            cited[row[first], row[second]] += row[projects]
        found = defaultdict(set)
        for currency, source_id in +cited:
            found[currency].add(source_id)
        return found


_MEASURES = {"t": Sum("total"), "c": Sum("projects"), "s": Sum("stated")}


def _negative(at, rows):
    """`rows` (their columns' places: `at`) with their counts and sums negative: taken away."""
    measures = {at[name] for name in MEASURES if name in at}
    return [
        tuple(-value if place in measures else value for place, value in enumerate(row))
        for row in rows
    ]


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
    bound), as the amount filters select the projects: (a Q of the tallies' bands, a Q of
    the projects to count one by one and add, a Q of those to count one by one and take
    away; either None where there are none).

    The bands wholly within the range come from the tallies. The band a bound falls within
    is either left out, and the projects of it on the bound's side counted one by one, or
    read whole from the tallies, and those on the other side counted and taken away:
    whichever side holds fewer projects (`outside_is_fewer`), both found through the
    amount's index. A lower bound where a band begins, or none, leaves no one to count.
    Band 0 (no amount) is never chosen: a range selects only projects stating an amount."""
    low = high = None
    if least is not None and least > 0 and band_floor(band_of(least)) != least:
        low = band_of(least)
    if most is not None:
        high = band_of(most)
    sides = {}  # {band: (Q of its projects in the range, Q of those outside it)}
    if low is not None:
        sides[low] = (
            Q(amount__gte=least, amount__lt=band_floor(following(low))),
            Q(amount__gte=band_floor(low), amount__lt=least),
        )
    if high is not None:
        outside = Q(amount__gt=most, amount__lt=band_floor(following(high)))
        if high == low:  # both bounds within one band
            sides[high] = (amount_between(least, most), sides[low][1] | outside)
        else:
            sides[high] = (Q(amount__gte=band_floor(high), amount__lte=most), outside)
    whole = outside_is_fewer(sides)  # {band: read whole, the outside taken away}
    first = 1 if least is None or least <= 0 else band_of(least)
    if low is not None and not whole[low]:
        first = following(low)
    last = None
    if high is not None:
        last = high if whole[high] else preceding(high)
    added = [inside for band, (inside, _) in sides.items() if not whole[band]]
    removed = [outside for band, (_, outside) in sides.items() if whole[band]]
    if last is not None and last < first:
        bands = Q(pk__in=[])  # no band is read whole
    else:
        bands = Q(band__gte=first) if last is None else Q(band__range=(first, last))
    return (
        bands,
        reduce(operator.or_, added) if added else None,
        reduce(operator.or_, removed) if removed else None,
    )


def outside_is_fewer(sides):
    """{key: whether fewer projects lie outside} for `sides` ({key: (a Q of projects'
    amounts inside, one of those outside)}): one query, counting in the amount's index
    (drafts too: a close guess at the published projects, and the answer is the same either
    way)."""
    if not sides:
        return {}
    counting = {}
    # The amounts counted, not the keys: PostgreSQL's index of the amount holds no key.
    for n, (inside, outside) in enumerate(sides.values()):
        counting[f"inside{n}"] = Count("amount", filter=inside)
        counting[f"outside{n}"] = Count("amount", filter=outside)
    amounts = [inside | outside for inside, outside in sides.values()]
    counts = Investment.objects.filter(reduce(operator.or_, amounts)).aggregate(**counting)
    return {key: counts[f"outside{n}"] < counts[f"inside{n}"] for n, key in enumerate(sides)}


def amount_between(least, most):
    """Projects whose amount is from `least` to `most` (None: no bound), as the amount
    filters select them."""
    bounds = {"amount__gte": least, "amount__lte": most}
    return Q(**{lookup: value for lookup, value in bounds.items() if value is not None})


# Where the bands begin: 1, 2 and 5 times each power of ten (see recount.AmountBand).
BAND_LEADS = (1, 2, 5)


def band_of(amount):
    """The band of `amount` (not negative), as recount.AmountBand gives it in the database for an
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


def sector_and_industries(sectors):
    """The primary keys of `sectors` and of the industries within them, as the sector filter
    selects them. One query."""
    chosen = [sector.pk for sector in sectors]
    children = Sector.objects.filter(parent__in=chosen).values_list("pk", flat=True)
    return {*chosen, *children}
