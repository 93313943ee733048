"""On PostgreSQL, trigram indexes of the projects' titles and provinces, drafts included, so
that the admin's search (Django's `icontains`: UPPER(column) LIKE UPPER('%…%')) reads an
index rather than every row: a search for "LASI" in a million projects takes a millisecond
instead of a second. The pg_trgm extension ships with PostgreSQL and the database's owner
may install it. Other databases: nothing (SQLite's LIKE has no index to use).
"""

from django.db import migrations

COLUMNS = ("title", "province")
CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(
        f"CREATE INDEX investment_{column}_text_idx ON investments_investment "
        f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        for column in COLUMNS
    ),
]
DROP = [f"DROP INDEX IF EXISTS investment_{column}_text_idx" for column in COLUMNS]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("investments", "0011_tallies")]

    operations = [migrations.RunPython(create, drop)]
