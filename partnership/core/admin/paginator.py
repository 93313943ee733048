"""Changelists that do not count a large table row by row."""

from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.db import DatabaseError, connections
from django.db.models import QuerySet
from django.db.models.sql.datastructures import BaseTable
from django.utils.functional import cached_property
from django_countries.filters import CountryFilter


def estimated_count(queryset):
    """The planner's estimate of the rows in an unfiltered queryset, or None.

    PostgreSQL keeps one in pg_class.reltuples (refreshed by VACUUM and ANALYZE), SQLite in
    sqlite_stat1 (written by ANALYZE: the rows of each of the table's indexes). For a
    filtered queryset, on another database, or before the table has been analysed the
    answer is None and the caller counts for real.
    """
    if not isinstance(queryset, QuerySet):
        return None
    query = queryset.query
    if query.where or query.distinct or query.is_sliced or query.combinator or query.extra:
        return None
    connection = connections[queryset.db]
    table = queryset.model._meta.db_table
    if connection.vendor == "postgresql":
        sql, params = ESTIMATES["postgresql"], [connection.ops.quote_name(table)]
    elif connection.vendor == "sqlite":
        sql, params = ESTIMATES["sqlite"], [table]
    else:
        return None
    with connection.cursor() as cursor:
        try:
            cursor.execute(sql, params)
        except DatabaseError:  # SQLite before any ANALYZE: no sqlite_stat1 table
            return None
        row = cursor.fetchone()
    if row is None or row[0] is None or int(row[0]) < 0:
        return None
    return int(row[0])


ESTIMATES = {
    "postgresql": "SELECT reltuples FROM pg_class WHERE oid = to_regclass(%s)",
    # The first number of each index's statistics is the rows it holds (fewer for a partial
    # index; the table's own row where it has no index).
    "sqlite": "SELECT MAX(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = %s",
}


class EstimatedCountPaginator(Paginator):
    """A paginator that does not count a large table row by row.

    COUNT(*) reads the whole table on PostgreSQL. For the unfiltered list of a table the
    planner believes holds at least `threshold` rows, the estimate is good enough to number
    the pages; anything filtered, smaller or on another database is counted exactly.
    """

    threshold = 100_000

    @cached_property
    def count(self):
        estimate = estimated_count(self.object_list)
        if estimate is not None and estimate >= self.threshold:
            return estimate
        return super().count


def is_large(model):
    """Whether the planner believes the model's table too large to scan on every page view."""
    estimate = estimated_count(model._default_manager.all())
    return estimate is not None and estimate >= EstimatedCountPaginator.threshold


class _TableInKeyOrder(BaseTable):
    """The table read in the order of its rowid (an integer primary key), by no other index:
    SQLite's NOT INDEXED. Other databases read it as they choose."""

    def as_sqlite(self, compiler, connection):
        sql, params = self.as_sql(compiler, connection)
        return f"{sql} NOT INDEXED", params


KEY_ORDER = {"pk", "-pk"}


class KeyOrderChangeList(ChangeList):
    """A changelist that, filtered two ways or more on a large SQLite table listed newest
    first, checks the filters as it walks the rows in the key's order, rather than through
    the index of one of them, when each filter selects a large share of the rows (the
    ModelAdmin's `broad_filters`: the query parameters of such filters).

    SQLite picks the index of one filter (origin Japan: 380,000 of a million projects),
    reads the rows it names one by one, checks the other filter on each (stage Approved),
    and sorts the 110,000 left in the key's order for a page of them: 0.7 s to list and 0.7 s
    to count. Walking the table in the key's order, the page is done after its first rows
    that match, and the count is one sequential read of the table (0.17 s for the million).
    One filter alone reads its index's rows only, and a narrow one (an import, an investor)
    few rows, quicker through its index; PostgreSQL combines the indexes of several itself."""

    def get_ordering_field(self, field_name):
        """None (no sorting) for a column the list does not offer to sort by (the
        ModelAdmin's `get_sortable_by`), whatever the address asks: Django's own list sorts by
        any column an `o` parameter names, offered or not."""
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        used = self.get_filters_params()
        if (
            connections[queryset.db].vendor == "sqlite"
            and len(used) >= 2
            and set(used) <= set(getattr(self.model_admin, "broad_filters", ()))
            and set(queryset.query.order_by) <= KEY_ORDER
            and self.model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField")
            and is_large(self.model)
        ):
            query = queryset.query
            alias = query.base_table
            query.alias_map[alias] = _TableInKeyOrder(query.alias_map[alias].table_name, alias)
        return queryset


class CountriesInUseFilter(CountryFilter):
    """Offers the countries that occur in the list; on a very large table, every country.

    Finding the countries in use reads the whole column, which is quick on thousands of rows
    and slow on millions, so large tables list every country instead.
    """

    def lookup_choices(self, changelist):
        if is_large(changelist.model):
            return self.field.get_choices(include_blank=False)
        return super().lookup_choices(changelist)
