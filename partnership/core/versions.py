"""The data version: a release number and date that change whenever the record changes.

Every save, publication, unpublication and deletion of a record leaves a row in that model's
history table (the admin, spreadsheet imports and `unpublish()` all write one). The version
is read from those tables in one query of index look-ups, the newest history row's id and
date of each:

- its number is the sum of the newest ids: a new history row in any table raises it, so it
  changes with every change, whichever app process made it and whatever its clock said;
- its date is the newest history date: when the record last changed.

Written as `2026-12-02.4711`, the date (UTC) and the number. Pages show it in the footer,
downloads and the API send it as the `X-Data-Version` header, and a citation names it, so a
reader can tell whether what they cite has changed since. Work on a draft changes it too: a
new version means something in the record was saved, not always something the public sees.

A request reads it at most once (`for_request`); the footer's context processor reads it
only when a template shows it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from weakref import WeakSet

from django.db import connection
from django.utils import timezone

from partnership.core.records import record_models

HEADER = "X-Data-Version"


@dataclass(frozen=True)
class DataVersion:
    number: int
    changed: datetime | None  # the newest history date; None while no change is recorded

    def __str__(self):
        if self.changed is None:
            return str(self.number)
        return f"{self.changed.astimezone(UTC):%Y-%m-%d}.{self.number}"

    @property
    def changed_utc(self):
        return self.changed.astimezone(UTC) if self.changed else None

    @property
    def changed_iso(self):
        """The last change as an ISO 8601 time in UTC, to the second, or None."""
        changed = self.changed_utc
        return changed.isoformat(timespec="seconds").replace("+00:00", "Z") if changed else None


@cache
def history_model(model):
    """The model of `model`'s history table, or None. Looked up once: each read of
    `model.history` builds a new manager class."""
    history = getattr(model, "history", None)
    return None if history is None else history.model


@cache
def history_models():
    """The history table of every model that holds part of the record."""
    return [history for history in map(history_model, record_models()) if history is not None]


@cache
def query():
    """The SQL that reads the version: two index look-ups per history table."""
    quote = connection.ops.quote_name
    parts = []
    for model in history_models():
        table = quote(model._meta.db_table)
        parts.append(f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {table})")
        date_column = quote(model._meta.get_field("history_date").column)
        parts.append(f"(SELECT MAX({date_column}) FROM {table})")
    return "SELECT " + ", ".join(parts)


# PostgreSQL spends more time planning the query (forty sub-queries) than running it, so each
# database session plans it once, as a prepared statement. Prepared statements outlive
# transactions, rolled back or not, and end with the session.
STATEMENT = "partnership_data_version"
_prepared = WeakSet()  # the database sessions (driver connections) that hold STATEMENT


def _execute(cursor):
    if connection.vendor != "postgresql":
        cursor.execute(query())
        return
    session = connection.connection
    if session not in _prepared:
        # On the driver's connection, so that a request's queries are the same whether or
        # not its database session was new: one, the EXECUTE.
        session.execute(f"PREPARE {STATEMENT} AS {query()}")
        _prepared.add(session)
    cursor.execute(f"EXECUTE {STATEMENT}")


def current():
    """The data version now, in one query."""
    with connection.cursor() as cursor:
        _execute(cursor)
        row = cursor.fetchone()
    ids, dates = row[0::2], row[1::2]
    number = sum(value or 0 for value in ids)
    found = [_as_datetime(value) for value in dates if value is not None]
    return DataVersion(number=number, changed=max(found) if found else None)


def _as_datetime(value):
    """A history date as an aware datetime: raw SQL on SQLite returns text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def for_request(request):
    """The data version for this request, read once however often it is asked for."""
    request = getattr(request, "_request", request)  # a DRF Request wraps Django's
    version = getattr(request, "_data_version", None)
    if version is None:
        version = current()
        request._data_version = version
    return version


def stamp(response, request):
    """Send the request's data version with `response` as the X-Data-Version header."""
    response[HEADER] = str(for_request(request))
    return response
