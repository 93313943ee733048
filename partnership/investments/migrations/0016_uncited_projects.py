"""The projects that cite no source (models.UncitedProject), kept in step by triggers on the
investment table and its source links, on SQLite and on PostgreSQL alike: a project made
without a source enters, its first link takes it out, the removal of its last link puts it
back, its deletion takes it out. Filled from the projects already there.

On PostgreSQL a link's change first takes the lock the tallies' writers take (ONE_WRITER,
which their own trigger on the links has taken already, and which a project's save takes
after its row), so that two transactions changing one project's links wait for each other
and the second sees what the first left, in the one order of locks that cannot deadlock.
"""

from django.db import migrations, models

from ._tally_sql import INVESTMENT, LINKS, ONE_WRITER

UNCITED = "investments_uncitedproject"


def enter(project, vendor, removed=False):
    """`project` (an id) among the uncited if no link names it (and, after a link's
    removal, `removed`, if the project is still there: it may be going itself)."""
    still_there = f"EXISTS (SELECT 1 FROM {INVESTMENT} WHERE id = {project}) AND " if removed else ""
    insert, conflict = {
        "sqlite": ("INSERT OR IGNORE", ""),
        "postgresql": ("INSERT", " ON CONFLICT DO NOTHING"),
    }[vendor]
    return (
        f"{insert} INTO {UNCITED} (investment_id) SELECT {project} WHERE {still_there}"
        f"NOT EXISTS (SELECT 1 FROM {LINKS} WHERE investment_id = {project}){conflict}"
    )


def leave(project):
    return f"DELETE FROM {UNCITED} WHERE investment_id = {project}"


def sqlite_trigger(name, event, table, statement):
    return f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {statement}; END"


SQLITE = [
    sqlite_trigger("investment_uncited_insert", "INSERT", INVESTMENT, enter("NEW.id", "sqlite")),
    sqlite_trigger("investment_uncited_delete", "DELETE", INVESTMENT, leave("OLD.id")),
    sqlite_trigger("source_uncited_insert", "INSERT", LINKS, leave("NEW.investment_id")),
    sqlite_trigger(
        "source_uncited_delete",
        "DELETE",
        LINKS,
        enter("OLD.investment_id", "sqlite", removed=True),
    ),
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "investment_uncited_insert",
        "investment_uncited_delete",
        "source_uncited_insert",
        "source_uncited_delete",
    )
]


def postgresql_trigger(name, table, inserted, deleted, serialized=False):
    """A function run after each row inserted into `table` or deleted from it, and its
    trigger; `serialized`: once the tallies' writers' lock is held (ONE_WRITER)."""
    first = f"{ONE_WRITER};" if serialized else ""
    return [
        f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {first}
    IF TG_OP = 'INSERT' THEN
        {inserted};
    ELSE
        {deleted};
    END IF;
    RETURN NULL;
END $$""",
        f"CREATE TRIGGER {name} AFTER INSERT OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


POSTGRESQL = [
    *postgresql_trigger(
        "investment_uncited", INVESTMENT, enter("NEW.id", "postgresql"), leave("OLD.id")
    ),
    *postgresql_trigger(
        "source_uncited",
        LINKS,
        leave("NEW.investment_id"),
        enter("OLD.investment_id", "postgresql", removed=True),
        serialized=True,
    ),
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS investment_uncited ON {INVESTMENT}",
    f"DROP TRIGGER IF EXISTS source_uncited ON {LINKS}",
    "DROP FUNCTION IF EXISTS investment_uncited()",
    "DROP FUNCTION IF EXISTS source_uncited()",
]

FILL = f"""INSERT INTO {UNCITED} (investment_id) SELECT p.id FROM {INVESTMENT} p
WHERE NOT EXISTS (SELECT 1 FROM {LINKS} l WHERE l.investment_id = p.id)"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in [*{"sqlite": SQLITE, "postgresql": POSTGRESQL}[vendor], FILL]:
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}[vendor]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("investments", "0015_admin_order_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="UncitedProject",
            fields=[
                ("investment_id", models.BigIntegerField(primary_key=True, serialize=False)),
            ],
            options={
                "default_permissions": (),
            },
        ),
        migrations.RunPython(create, drop),
    ]
