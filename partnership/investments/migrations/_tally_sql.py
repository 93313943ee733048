"""The SQL of the tallies' triggers (models.ProjectTally, InvestorTally, SourceTally, and
those by band of migration 0017), shared by the migrations that make them: a project that is
published, unpublished, changed or deleted, or that cites a source or stops citing it, moves
its counts in the same transaction, on SQLite and on PostgreSQL alike: on SQLite a row at a
time, on PostgreSQL since migration 0018 a statement at a time (`Tallies.statement_triggers`).

A migration describes the tallies as they were at its time (`Tallies`: what each groups by,
and which of the project's columns they read); the statements are made from that, so a later
migration's tallies leave an earlier one's SQL as it was. Django's migration loader skips
this module (its name starts with an underscore).
"""

INVESTMENT = "investments_investment"
LINKS = "investments_investment_sources"
PUBLISHED = "'published'"
# The tallies kept from the project row, and the one kept from its source links.
PROJECTS = "investments_projecttally"
INVESTORS = "investments_investortally"
SOURCES = "investments_sourcetally"
# The same by the band of the amount too (migration 0017).
BAND_TABLES = (
    "investments_projectbandtally",
    "investments_investorbandtally",
    "investments_sourcebandtally",
)
# The counts of the project tally, as expressions of the row.
PROJECT_MEASURES = {
    "projects": "1",
    "stated": "CASE WHEN {row}.amount IS NULL THEN 0 ELSE 1 END",
    "total": "COALESCE({row}.amount, 0)",
}

# On PostgreSQL, one transaction at a time changes the tallies, until it ends: two editors
# moving projects between the same two combinations in opposite directions would otherwise
# each wait for a row the other holds (a deadlock, one save refused). SQLite has one writer.
ONE_WRITER = "PERFORM pg_advisory_xact_lock(hashtext('investment tallies'))"


def upsert(table, columns, key, select):
    added = ", ".join(
        f"{name} = {table}.{name} + excluded.{name}" for name in columns if name not in key
    )
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) {select} "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {added}"
    )


class Tallies:
    """The tallies' triggers and their first filling.

    `dimensions`: what every tally groups by, {column: expression of the project {row}, or
    {vendor: expression} where the databases differ}; `project_only`: what the project tally
    groups by besides; `read`: the project's columns those read (a change to any other leaves
    the tallies alone); `tables`: the project, investor and source tallies' tables; `names`:
    what the triggers (and their functions) on the projects and on their source links are
    named from.
    """

    def __init__(
        self,
        dimensions,
        read,
        project_only=None,
        tables=(PROJECTS, INVESTORS, SOURCES),
        names=("investment_tally", "source_tally"),
    ):
        self.dimensions = dimensions
        self.read = read
        projects, investors, self.sources = tables
        self.tables = tables
        self.investment, self.link = names
        self.project_tallies = {
            projects: ({**dimensions, **(project_only or {})}, PROJECT_MEASURES),
            investors: (
                {"investor_id": "COALESCE({row}.investor_id, 0)", **dimensions},
                {"projects": "1"},
            ),
        }
        self.source_key = ["source_id", *dimensions]

    @staticmethod
    def key_of(vendor, key, row):
        return [
            (expression[vendor] if isinstance(expression, dict) else expression).format(row=row)
            for expression in key.values()
        ]

    def project_changes(self, vendor, row, sign):
        """Statements adding (`sign` 1) or taking away (-1) the project `row` (NEW, OLD, or a
        function's argument) in each tally, its source links included. Adding inserts a row
        where none is yet; taking away only ever lowers one there is, so a tally emptied
        before its projects (as `flush` may do) stays empty rather than going below nothing."""
        dimensions = self.key_of(vendor, self.dimensions, row)
        if sign == 1:
            statements = []
            for table, (key, measures) in self.project_tallies.items():
                values = [
                    *self.key_of(vendor, key, row),
                    *(m.format(row=row) for m in measures.values()),
                ]
                columns = [*key, *measures]
                statements.append(upsert(table, columns, key, f"VALUES ({', '.join(values)})"))
            statements.append(
                upsert(
                    self.sources,
                    [*self.source_key, "projects"],
                    self.source_key,
                    f"SELECT l.source_id, {', '.join(dimensions)}, 1 FROM {LINKS} l "
                    f"WHERE l.investment_id = {row}.id",
                )
            )
            return statements
        statements = []
        for table, (key, measures) in self.project_tallies.items():
            lowered = ", ".join(
                f"{name} = {name} - ({m.format(row=row)})" for name, m in measures.items()
            )
            statements.append(
                f"UPDATE {table} SET {lowered} WHERE ({', '.join(key)}) = "
                f"({', '.join(self.key_of(vendor, key, row))})"
            )
        statements.append(
            f"UPDATE {self.sources} SET projects = projects - 1 WHERE "
            f"({', '.join(self.dimensions)}) = ({', '.join(dimensions)}) "
            f"AND source_id IN (SELECT l.source_id FROM {LINKS} l WHERE l.investment_id = {row}.id)"
        )
        return statements

    def link_change(self, vendor, link, sign):
        """The statement adding (`sign` 1) or taking away (-1) the source link `link` (NEW or
        OLD) in the source tally, if its project is published."""
        dimensions = self.key_of(vendor, self.dimensions, "p")
        published = (
            f"FROM {INVESTMENT} p WHERE p.id = {link}.investment_id AND p.publication = {PUBLISHED}"
        )
        if sign == 1:
            return upsert(
                self.sources,
                [*self.source_key, "projects"],
                self.source_key,
                f"SELECT {link}.source_id, {', '.join(dimensions)}, 1 {published}",
            )
        return (
            f"UPDATE {self.sources} SET projects = projects - 1 WHERE source_id = {link}.source_id "
            f"AND ({', '.join(self.dimensions)}) = (SELECT {', '.join(dimensions)} {published})"
        )

    def changed(self, differ):
        old = ", ".join(f"OLD.{c}" for c in self.read)
        new = ", ".join(f"NEW.{c}" for c in self.read)
        return f"({old}) {differ} ({new})"

    def sqlite(self):
        def trigger(name, event, table, when, statements):
            condition = f" WHEN {when}" if when else ""
            body = ";\n".join(statements)
            return f"CREATE TRIGGER {name} AFTER {event} ON {table}{condition}\nBEGIN\n{body};\nEND"

        published = f"{{row}}.publication = {PUBLISHED}"
        moved = self.changed("IS NOT")
        return [
            trigger(
                f"{self.investment}_added", "INSERT", INVESTMENT, published.format(row="NEW"),
                self.project_changes("sqlite", "NEW", 1),
            ),
            trigger(
                f"{self.investment}_removed", "DELETE", INVESTMENT, published.format(row="OLD"),
                self.project_changes("sqlite", "OLD", -1),
            ),
            trigger(
                f"{self.investment}_changed_from", "UPDATE", INVESTMENT,
                f"{published.format(row='OLD')} AND {moved}",
                self.project_changes("sqlite", "OLD", -1),
            ),
            trigger(
                f"{self.investment}_changed_to", "UPDATE", INVESTMENT,
                f"{published.format(row='NEW')} AND {moved}",
                self.project_changes("sqlite", "NEW", 1),
            ),
            trigger(
                f"{self.link}_linked", "INSERT", LINKS, "",
                [self.link_change("sqlite", "NEW", 1)],
            ),
            trigger(
                f"{self.link}_unlinked", "DELETE", LINKS, "",
                [self.link_change("sqlite", "OLD", -1)],
            ),
        ]  # fmt: skip

    def postgresql(self):
        def function(name, statements):
            body = ";\n".join(statements)
            return f"""CREATE FUNCTION {name}(r {INVESTMENT}) RETURNS void LANGUAGE sql AS $$
        {body};
        $$"""

        return [
            function(f"{self.investment}_add", self.project_changes("postgresql", "r", 1)),
            function(f"{self.investment}_remove", self.project_changes("postgresql", "r", -1)),
            f"""CREATE FUNCTION {self.investment}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND NOT {self.changed("IS DISTINCT FROM")} THEN
                RETURN NULL;
            END IF;
            {ONE_WRITER};
            IF TG_OP <> 'INSERT' AND OLD.publication = {PUBLISHED} THEN
                PERFORM {self.investment}_remove(OLD);
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.publication = {PUBLISHED} THEN
                PERFORM {self.investment}_add(NEW);
            END IF;
            RETURN NULL;
        END
        $$""",
            f"""CREATE TRIGGER {self.investment} AFTER INSERT OR DELETE OR UPDATE ON {INVESTMENT}
        FOR EACH ROW EXECUTE FUNCTION {self.investment}()""",
            f"""CREATE FUNCTION {self.link}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {ONE_WRITER};
            IF TG_OP = 'INSERT' THEN
                {self.link_change("postgresql", "NEW", 1)};
            ELSE
                {self.link_change("postgresql", "OLD", -1)};
            END IF;
            RETURN NULL;
        END
        $$""",
            f"""CREATE TRIGGER {self.link} AFTER INSERT OR DELETE ON {LINKS}
        FOR EACH ROW EXECUTE FUNCTION {self.link}()""",
        ]

    # PostgreSQL, a statement at a time (migration 0018) -------------------------------------

    def moved(self, table, key, measures, source, sign):
        """The statement adding (`sign` 1) or taking away (-1) in `table` the published
        projects of `source` (a FROM clause naming them `r`), grouped by the expressions of
        `key`, summing those of `measures`."""
        expressions = self.key_of("postgresql", key, "r")
        keys = [f"{e} AS {name}" for name, e in zip(key, expressions, strict=True)]
        sums = [f"SUM({m.format(row='r')}) AS {name}" for name, m in measures.items()]
        select = (
            f"SELECT {', '.join([*keys, *sums])} FROM {source} "
            f"WHERE r.publication = {PUBLISHED} "
            f"GROUP BY {', '.join(str(n) for n in range(1, len(key) + 1))}"
        )
        if sign == 1:
            return upsert(table, [*key, *measures], key, select)
        lowered = ", ".join(f"{name} = t.{name} - g.{name}" for name in measures)
        return (
            f"UPDATE {table} t SET {lowered} FROM ({select}) g WHERE "
            f"({', '.join(f't.{name}' for name in key)}) = "
            f"({', '.join(f'g.{name}' for name in key)})"
        )

    def statement_changes(self, rows, sign):
        """Statements adding (`sign` 1) or taking away (-1) the published projects of `rows`
        (a table or a subquery) in each tally, their source links included: one a tally,
        each group of projects at once."""
        return [
            *(
                self.moved(table, key, measures, f"{rows} r", sign)
                for table, (key, measures) in self.project_tallies.items()
            ),
            self.moved(
                self.sources,
                self.link_key,
                {"projects": "1"},
                f"{rows} r JOIN {LINKS} l ON l.investment_id = r.id",
                sign,
            ),
        ]

    @property
    def link_key(self):
        """What the source tally groups by, as expressions of a link `l` and its project."""
        return {"source_id": "l.source_id", **self.dimensions}

    def links_changes(self, links, sign):
        """The statement adding (`sign` 1) or taking away (-1) the source links of the table
        `links` in the source tally, those of published projects."""
        return self.moved(
            self.sources,
            self.link_key,
            {"projects": "1"},
            self.links_with_projects(links),
            sign,
        )

    @staticmethod
    def links_with_projects(links):
        """A FROM clause: the links of the table `links` (`l`) to their projects (`r`)."""
        return f"{links} l JOIN {INVESTMENT} r ON r.id = l.investment_id"

    def statement_trigger_specs(self):
        """(name, table, event, transition tables, the rows it must find to change a
        tally, its statements) of each statement trigger."""
        differ = self.changed("IS DISTINCT FROM").replace("OLD.", "o.").replace("NEW.", "n.")
        pairs = f"old_rows o JOIN new_rows n ON n.id = o.id WHERE {differ}"
        published = f"r.publication = {PUBLISHED}"
        return [
            (
                f"{self.investment}_inserted", INVESTMENT, "INSERT", "NEW TABLE AS new_rows",
                f"new_rows r WHERE {published}", self.statement_changes("new_rows", 1),
            ),
            (
                f"{self.investment}_deleted", INVESTMENT, "DELETE", "OLD TABLE AS old_rows",
                f"old_rows r WHERE {published}", self.statement_changes("old_rows", -1),
            ),
            (
                f"{self.investment}_updated", INVESTMENT, "UPDATE",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows", pairs,
                [
                    *self.statement_changes(f"(SELECT o.* FROM {pairs})", -1),
                    *self.statement_changes(f"(SELECT n.* FROM {pairs})", 1),
                ],
            ),
            (
                f"{self.link}_linked", LINKS, "INSERT", "NEW TABLE AS new_rows",
                f"{self.links_with_projects('new_rows')} WHERE {published}",
                [self.links_changes("new_rows", 1)],
            ),
            (
                f"{self.link}_unlinked", LINKS, "DELETE", "OLD TABLE AS old_rows",
                f"{self.links_with_projects('old_rows')} WHERE {published}",
                [self.links_changes("old_rows", -1)],
            ),
        ]  # fmt: skip

    def statement_triggers(self):
        """PostgreSQL's triggers as statement triggers reading the rows the statement
        changed (its transition tables): a statement writing thousands of projects moves
        the tallies with a few grouped statements rather than a few for each project. Each
        returns at once where its statement changed nothing the tallies count (a statement
        trigger runs for a statement that wrote no row too; a draft's project or source
        link counts for nothing), before it waits its turn."""
        made = []
        for name, table, event, referencing, found, statements in self.statement_trigger_specs():
            body = ";\n            ".join(statements)
            made += [
                f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM {found}) THEN
                RETURN NULL;
            END IF;
            {ONE_WRITER};
            {body};
            RETURN NULL;
        END
        $$""",
                f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
            ]
        return made

    def statement_triggers_dropped(self):
        return [
            statement
            for name, table, *_ in self.statement_trigger_specs()
            for statement in (f"DROP TRIGGER {name} ON {table}", f"DROP FUNCTION {name}()")
        ]

    def by_statement(self, apps, schema_editor):
        """On PostgreSQL, the triggers a row at a time replaced by those a statement at a
        time (a RunPython step); SQLite has only the former."""
        if schema_editor.connection.vendor == "postgresql":
            for statement in [*self.reverse("postgresql"), *self.statement_triggers()]:
                schema_editor.execute(statement, params=None)

    def by_row(self, apps, schema_editor):
        """The reverse of `by_statement`."""
        if schema_editor.connection.vendor == "postgresql":
            for statement in [*self.statement_triggers_dropped(), *self.postgresql()]:
                schema_editor.execute(statement, params=None)

    def fill(self, vendor):
        """Each tally filled from the published projects already there: one grouped pass
        each."""
        statements = []
        for table, (key, measures) in self.project_tallies.items():
            keys = self.key_of(vendor, key, "p")
            sums = [f"SUM({m.format(row='p')})" for m in measures.values()]
            statements.append(
                f"INSERT INTO {table} ({', '.join([*key, *measures])}) "
                f"SELECT {', '.join([*keys, *sums])} FROM {INVESTMENT} p "
                f"WHERE p.publication = {PUBLISHED} GROUP BY {', '.join(keys)}"
            )
        keys = ["l.source_id", *self.key_of(vendor, self.dimensions, "p")]
        statements.append(
            f"INSERT INTO {self.sources} ({', '.join([*self.source_key, 'projects'])}) "
            f"SELECT {', '.join(keys)}, COUNT(*) FROM {LINKS} l "
            f"JOIN {INVESTMENT} p ON p.id = l.investment_id "
            f"WHERE p.publication = {PUBLISHED} GROUP BY {', '.join(keys)}"
        )
        return statements

    def create(self, apps, schema_editor):
        """The triggers made, and the tallies filled from the projects there (a RunPython
        step)."""
        vendor = schema_editor.connection.vendor
        made = {"sqlite": self.sqlite, "postgresql": self.postgresql}[vendor]()
        for statement in [*made, *self.fill(vendor)]:
            schema_editor.execute(statement, params=None)

    def reverse(self, vendor):
        """The statements dropping the triggers and their functions."""
        if vendor == "sqlite":
            return [
                f"DROP TRIGGER {self.link}_unlinked",
                f"DROP TRIGGER {self.link}_linked",
                f"DROP TRIGGER {self.investment}_changed_to",
                f"DROP TRIGGER {self.investment}_changed_from",
                f"DROP TRIGGER {self.investment}_removed",
                f"DROP TRIGGER {self.investment}_added",
            ]
        return [
            f"DROP TRIGGER {self.link} ON {LINKS}",
            f"DROP FUNCTION {self.link}()",
            f"DROP TRIGGER {self.investment} ON {INVESTMENT}",
            f"DROP FUNCTION {self.investment}()",
            f"DROP FUNCTION {self.investment}_remove({INVESTMENT})",
            f"DROP FUNCTION {self.investment}_add({INVESTMENT})",
        ]

    def drop(self, apps, schema_editor):
        """The triggers dropped (a RunPython step)."""
        for statement in self.reverse(schema_editor.connection.vendor):
            schema_editor.execute(statement, params=None)

    def drop_and_empty(self, apps, schema_editor):
        """The triggers dropped and the tallies emptied, to be made again to another shape
        (a RunPython step)."""
        self.drop(apps, schema_editor)
        for table in self.tables:
            schema_editor.execute(f"DELETE FROM {table}", params=None)


# The tallies as each migration made them ---------------------------------------------------

DIMENSIONS = {
    "origin_country": "{row}.origin_country",
    "destination_country": "{row}.destination_country",
    "sector_id": "COALESCE({row}.sector_id, 0)",
    "stage": "{row}.stage",
    "currency": "{row}.currency",
}
READ = [
    "publication",
    "origin_country",
    "destination_country",
    "sector_id",
    "stage",
    "currency",
    "period_start",
    "amount",
    "investor_id",
]
# Dates are 'YYYY-MM-DD' text on SQLite.
YEAR = {
    "sqlite": "COALESCE(CAST(SUBSTR({row}.period_start, 1, 4) AS INTEGER), 0)",
    "postgresql": "COALESCE(EXTRACT(YEAR FROM {row}.period_start)::integer, 0)",
}
END_YEAR = {
    "sqlite": (
        "COALESCE(CAST(SUBSTR(COALESCE({row}.period_end, {row}.period_start), 1, 4) AS INTEGER), 0)"
    ),
    "postgresql": (
        "COALESCE(EXTRACT(YEAR FROM COALESCE({row}.period_end, {row}.period_start))::integer, 0)"
    ),
}
# Migration 0011: the project tally by the year the period starts; the others by neither.
BY_START_YEAR = Tallies(DIMENSIONS, READ, project_only={"year": YEAR})
# Migration 0013: all three by the years the period starts and ends.
BY_PERIOD = Tallies({**DIMENSIONS, "year": YEAR, "end_year": END_YEAR}, [*READ, "period_end"])
# The band of an amount: 0 none stated, 1 below one; from one, 3 × the digits of its whole
# part, plus 0 where it begins with 1, 1 with 2 to 4, 2 with 5 to 9 (1, 2 and 5 times a power
# of ten: 300 million is in band 28, from 200 million up to 500 million).
BAND = {
    vendor: (
        "CASE WHEN {row}.amount IS NULL THEN 0 WHEN {row}.amount < 1 THEN 1 "
        f"ELSE 3 * LENGTH({whole}) + CASE SUBSTR({whole}, 1, 1) "
        "WHEN '1' THEN 0 WHEN '2' THEN 1 WHEN '3' THEN 1 WHEN '4' THEN 1 ELSE 2 END END"
    )
    for vendor, whole in {
        "sqlite": "CAST(CAST({row}.amount AS INTEGER) AS TEXT)",
        "postgresql": "TRUNC({row}.amount)::text",
    }.items()
}
# Migration 0017: tallies like migration 0013's, by the amount's band as well, beside them.
BY_AMOUNT = Tallies(
    {**BY_PERIOD.dimensions, "band": BAND},
    BY_PERIOD.read,
    tables=BAND_TABLES,
    names=("investment_band_tally", "source_band_tally"),
)
