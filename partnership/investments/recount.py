"""The tallies (tallies.py) counted from the projects themselves: what each would hold for
a set of projects, as a query grouping them (`counted`, which tally.py uses for the projects
it counts one by one), every tally counted afresh (`rebuild`), and a bulk load that counts
them once at its end rather than through the triggers (`bulk_load`).
"""

import contextlib

from django.db import connection
from django.db.models import Count, F, Func, IntegerField, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from partnership.core.models import sources_cited

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

# Each tally's counterpart by the amount's band too.
BANDED = {
    ProjectTally: ProjectBandTally,
    InvestorTally: InvestorBandTally,
    SourceTally: SourceBandTally,
}


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


class PeriodYear(ExtractYear):
    """The year of a date. On SQLite, where dates are stored as 'YYYY-MM-DD' text, read the
    first four characters instead of calling Django's Python date function once per row
    (several times faster on a large table); other databases extract the year natively."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(SUBSTR({sql}, 1, 4) AS INTEGER)", params


LINKS = Investment.sources.through
# The triggers that keep the tallies (migrations 0011, 0013, 0017 and 0018) and the
# projects citing no source (0016), by the table they watch; each may be several, named
# with this and "_" as their prefix.
TRIGGERS = {
    Investment._meta.db_table: ("investment_tally", "investment_band_tally", "investment_uncited"),
    LINKS._meta.db_table: ("source_tally", "source_band_tally", "source_uncited"),
}


def _key(banded=False):
    """What the tallies group by (Tally.DIMENSIONS; Banded.DIMENSIONS, `banded`), as
    expressions of a project."""
    band = [AmountBand(F("amount"))] if banded else []
    return [
        F("origin_country"),
        F("destination_country"),
        Coalesce(F("sector_id"), Value(0)),
        F("stage"),
        F("currency"),
        Coalesce(PeriodYear("period_start"), Value(0)),
        Coalesce(PeriodYear(Coalesce("period_end", "period_start")), Value(0)),
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
# What the tallies count and sum, beside what they group by.
MEASURES = ("projects", "stated", "total")


def counted(model, projects, fields=None):
    """The rows the tally `model` holds for `projects` (published ones), counted from them:
    a query grouping them, its values in the order of FIELDS[model]; or grouped by fewer of
    its columns, `fields` (FIELDS[model] less some, in their order, the counts among them)."""
    fields = fields or FIELDS[model]
    banded = model in BANDED.values()
    if model in (SourceTally, SourceBandTally):
        # A row for each source a project cites: the projects joined to their links.
        rows = projects.filter(sources__isnull=False)
        own = {"source_id": F("sources")}
    else:
        rows = projects
        own = {"investor_id": Coalesce(F("investor_id"), Value(0))}
    key = {**own, **dict(zip(model.DIMENSIONS, _key(banded=banded), strict=True))}
    total = Coalesce(Sum("amount"), Value(0), output_field=ProjectTally._meta.get_field("total"))
    measures = {"projects": Count("*"), "stated": Count("amount"), "total": total}
    return _grouped(
        rows,
        *(key[name] for name in fields if name not in MEASURES),
        **{name: measures[name] for name in fields if name in MEASURES},
    )


def rebuild():
    """Every tally by band counted afresh from the published projects, one grouped pass
    each, the tallies without bands summed from those over the bands, and the projects that
    cite no source found afresh among them all; written as they are read."""
    projects = Investment.objects.published()
    uncited = Investment.objects.filter(~sources_cited(Investment))
    rows = {}
    for plain, banded in BANDED.items():
        rows[banded] = counted(banded, projects)
        measures = [name for name in FIELDS[plain] if name in MEASURES]
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
    for table, prefixes in TRIGGERS.items():
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [table],
        )
        for (trigger,) in cursor.fetchall():
            if any(trigger == p or trigger.startswith(f"{p}_") for p in prefixes):
                cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {trigger}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
