"""SQLite's query planner statistics kept whole across migrations.

`ANALYZE` (run by `synthesize` after a load) writes how selective each index is; the planner
weighs indexes by it. An index a migration makes afterwards has no statistics beside those
that do, and the planner then takes it for a narrow one: at a million projects it walked the
whole list index to find a period's edge rather than the period's own indexes (2.3 s against
0.3 s a query). So after every `migrate`, on SQLite, a table with an index that has no
statistics while its others do is analyzed again. A table never analyzed is left so: the
planner's defaults hold for all its indexes alike. PostgreSQL gathers its statistics by table on
its own (autovacuum), not by index.
"""

from django.db import connections


def analyze_unweighed_indexes(using="default", **kwargs):
    """`post_migrate`: ANALYZE each table one of whose indexes has no statistics while its
    others have. The tables analyzed, by name."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return []
        cursor.execute(
            "SELECT DISTINCT i.tbl_name FROM sqlite_master i WHERE i.type = 'index' "
            "AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.idx = i.name) "
            "AND EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.tbl = i.tbl_name)"
        )
        tables = [table for (table,) in cursor.fetchall()]
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return tables
