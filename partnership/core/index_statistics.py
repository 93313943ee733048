"""SQLite's query planner statistics kept whole across migrations.

`ANALYZE` (run by `synthesize` after a load) writes how selective each index is; the planner
weighs indexes by it. An index a migration makes afterwards has no statistics beside those
that do, and the planner then takes it for a narrow one: at a million projects it walked the
whole list index to find a period's edge rather than the period's own indexes (2.3 s against
0.3 s a query). A table a migration makes again (as SQLite alters a column) loses all its
statistics. So after every `migrate`, on a SQLite database that has statistics, each table
holding rows with an index that has none is analyzed again. A database never analyzed is
left so: the planner's defaults hold for all of it alike. PostgreSQL gathers its statistics
by table on its own (autovacuum), not by index.
"""

from django.db import connections


def analyze_unweighed_indexes(using="default", **kwargs):
    """`post_migrate`: ANALYZE each table holding rows one of whose indexes has no
    statistics, where the database has statistics at all. The tables analyzed, by name."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return []
        # A partial index holding no entries gets no statistics however often its table is
        # analyzed, nor does an empty table: both are left out, or they would be analyzed on
        # every migrate. A table without rowids has its key's statistics under its own name.
        cursor.execute(
            "SELECT DISTINCT t.name FROM sqlite_master t, pragma_index_list(t.name) i "
            "WHERE t.type = 'table' AND NOT i.partial AND NOT EXISTS ("
            "SELECT 1 FROM sqlite_stat1 s WHERE s.tbl = t.name "
            "AND (s.idx = i.name OR (i.origin = 'pk' AND s.idx = t.name)))"
        )
        unweighed = [table for (table,) in cursor.fetchall()]
        tables = []
        for table in unweighed:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
            if cursor.fetchone()[0]:
                cursor.execute(f"ANALYZE {quote(table)}")
                tables.append(table)
    return tables
