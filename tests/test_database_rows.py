"""CSV and JSON downloads written by the database (core.sql_cells): byte for byte what the
same rows written cell by cell in Python give, on SQLite and PostgreSQL alike."""

import csv
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F, Value
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_countries import countries

from partnership.core.currencies import AmountAsReported, AmountUnit, Currency, format_amount
from partnership.core.database_rows import database_lines, database_writes
from partnership.core.exports import (
    Column,
    export_rows,
    related_values,
)
from partnership.core.models import Publication
from partnership.core.sql_cells import CELLS, Concatenated
from partnership.core.writers import (
    cell_text,
    stream_csv,
    stream_csv_lines,
    stream_json,
    stream_json_lines,
)
from partnership.investments.datasets import INVESTMENTS
from partnership.investments.models import Investment
from tests.factories import (
    make_agreement,
    make_initiative,
    make_investment,
    make_organization,
    make_sector,
    make_source,
)

CSV_URL = reverse("investments:export", args=["csv"])
FORMATS = ["csv", "json"]
META = {"source": "tests"}

# Text a spreadsheet would run, text csv.writer quotes, and text in the record's languages.
AWKWARD = [
    "=SUM(A1:A2)",
    "+66 2 202 3000",
    "-minus first",
    "@mention",
    "\tafter a tab",
    "\rafter a carriage return",
    'the "quoted" word',
    "Comma, Ltd.",
    "two\nlines",
    "two\r\nlines",
    '=formula, with "both"',
    "ไทย, ญี่ปุ่น",
    "日本語「テスト」",
    " spaced ",
    "back\\slash",
    "\x01control\x1fcharacters\x7f",
    "line\u2028separator",
    "",
]


def written_in_python(queryset, columns, fmt="csv"):
    rows = export_rows(queryset, columns)
    if fmt == "json":
        return "".join(stream_json(columns, rows, META))
    return "".join(stream_csv(columns, rows))


def written_by_database(queryset, columns, fmt="csv"):
    rows = database_lines(queryset, columns, fmt)
    if fmt == "json":
        return "".join(stream_json_lines(META, rows))
    return "".join(stream_csv_lines(columns, rows))


def assert_same_lines(queryset, columns=INVESTMENTS.columns, fmt="csv"):
    python = written_in_python(queryset, columns, fmt)
    database = written_by_database(queryset, columns, fmt)
    end = "\n" if fmt == "json" else "\r\n"
    for line, expected in zip(database.split(end), python.split(end), strict=True):
        assert line == expected
    assert database == python
    if fmt == "json":
        assert json.loads(database)["rows"]


def test_the_projects_download_is_written_by_the_database():
    assert database_writes(INVESTMENTS.columns)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_awkward_text_is_written_as_python_writes_it(fmt):
    published_investor = make_organization(name='Acme, "the" Company', slug="acme")
    draft_investor = make_organization(published=False, name="Draft Co", slug="draft-co")
    sector = make_sector(name="=Electronics, parts")
    initiative = make_initiative(title="Initiative, one")
    agreement = make_agreement(title='"Framework" document')
    for n, text in enumerate(AWKWARD):
        make_investment(
            title=text or f"Untitled {n}",
            slug=f"awkward-{n}",
            province=text,
            period_label=text[:60],
            uncertainty=text,
            investor=published_investor if n % 2 else draft_investor,
            sector=sector if n % 3 else None,
            initiative=initiative if n % 4 else None,
            agreement=agreement if n % 5 else None,
        )
    assert_same_lines(Investment.objects.published(), fmt=fmt)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_amounts_dates_and_flags_are_written_as_python_writes_them(fmt):
    amounts = [None, Decimal(0), Decimal("0.01"), Decimal("0.5"), Decimal("999.99")]
    amounts += [Decimal(1000), Decimal("1234.56"), Decimal("3062000000"), Decimal(10**15)]
    amounts += [Decimal("9999999999999.99")]  # fifteen digits, as a float writes them
    for n, amount in enumerate(amounts):
        for unit in AmountUnit:
            make_investment(
                slug=f"amount-{n}-{unit.value}",
                amount=amount,
                amount_unit=unit,
                amount_approximate=bool(n % 2),
                currency=Currency.values[n % len(Currency.values)],
                period_start=None if n == 1 else date(2020 + n, 1, 1),
                period_end=None if n in (1, 2) else date(2020 + n, 12, 31),
                period_not_stated=n == 1,
                uncertainty="No period given." if n == 1 else "",
            )
    # A time with no microseconds is written without them, as isoformat() writes it.
    Investment.objects.filter(slug__startswith="amount-0-").update(
        updated_at=datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
    )
    assert_same_lines(Investment.objects.published(), fmt=fmt)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_an_amount_beyond_fifteen_digits_has_the_digits_the_database_holds(fmt):
    """Where Python rounds it to fifteen digits (SQLite's float read by Django, JSON's
    float), the database writes the amount it holds: exactly on PostgreSQL, sixteen digits
    of its float on SQLite."""
    amount = Decimal("12345678901234567.89")
    make_investment(amount=amount)
    written = written_by_database(Investment.objects.published(), INVESTMENTS.columns, fmt)
    if fmt == "json":
        found = json.loads(written, parse_float=Decimal)["rows"][0]["amount"]
    else:
        header, row = written.removeprefix("\ufeff").splitlines()[:2]
        found = Decimal(next(csv.reader([row]))[header.split(",").index("amount")])
    if connection.vendor == "postgresql":
        assert found == amount
    else:
        assert abs(found - amount) / amount < Decimal("1e-15")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_sources_are_joined_in_order_and_only_published_ones(fmt):
    first = make_source(url="https://example.org/a,b?x=1")
    second = make_source(url='https://example.org/"quoted"')
    third = make_source(url="https://example.org/third")
    make_investment(slug="many", sources=[third, first, second])
    make_investment(slug="one", sources=[second])
    make_investment(slug="none", sources=[])
    make_investment(slug="draft", published=False, sources=[first])
    assert_same_lines(Investment.objects.published(), fmt=fmt)


@pytest.mark.django_db
def test_every_country_is_named_as_python_names_it():
    Investment.objects.bulk_create(
        Investment(
            slug=f"from-{code.lower()}",
            title=f"From {code}",
            origin_country=code,
            destination_country="TH",
            publication=Publication.PUBLISHED,
            published_at=timezone.now(),
        )
        for code, _name in countries
    )
    rows = written_by_database(Investment.objects.published(), INVESTMENTS.columns)
    with_commas = [str(name) for _code, name in countries if "," in str(name)]
    assert with_commas
    assert all(f',"{name}",' in rows for name in with_commas)
    assert_same_lines(Investment.objects.published())
    assert_same_lines(Investment.objects.published(), fmt="json")


AMOUNTS = [
    # amount, scale, approximate: the text format_amount writes
    (Decimal(3_062_000_000), AmountUnit.MILLION, False),
    (Decimal(70_000_000_000), AmountUnit.BILLION, True),
    (Decimal(1225), AmountUnit.THOUSAND, False),  # 1.225: half to even, 1.22
    (Decimal(1235), AmountUnit.THOUSAND, False),  # 1.235: 1.24
    (Decimal(999_995), AmountUnit.THOUSAND, False),  # 999.995: 1,000
    (Decimal(999_985), AmountUnit.THOUSAND, False),  # 999.985: 999.98
    (Decimal(5000), AmountUnit.MILLION, False),  # 0.005: 0
    (Decimal(2500), AmountUnit.THOUSAND, True),  # 2.5
    (Decimal("1234567.89"), AmountUnit.ONE, False),
    (Decimal("0.07"), AmountUnit.ONE, False),
    (Decimal(123_456_789_012_345), AmountUnit.MILLION, False),
]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("amount", "unit", "approximate"), AMOUNTS)
def test_an_amount_as_reported_is_format_amounts_text(amount, unit, approximate, fmt):
    investment = make_investment(amount=amount, amount_unit=unit, amount_approximate=approximate)
    with translation.override("en"):
        written = (
            Investment.objects.filter(pk=investment.pk)
            .values_list(AmountAsReported(fmt), flat=True)
            .get()
        )
        assert written == cell_text(format_amount(amount, "THB", unit, approximate), fmt)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("text", AWKWARD)
def test_a_text_cell_is_the_text_python_writes(text, fmt):
    make_investment()
    written = Investment.objects.values_list(CELLS[fmt](Value(text)), flat=True).get()
    assert written == cell_text(text, fmt)
    if fmt == "json":
        assert json.loads(written) == text


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 100, 101, 250])
def test_a_row_of_many_pieces_is_written_whole(count):
    # SQLite's printf takes at most 127 arguments: a longer row is written in groups.
    make_investment()
    pieces = [f"{n}%s," for n in range(count - 1)]
    row = Concatenated(*pieces, F("title"))
    written = Investment.objects.values_list(row, flat=True).get()
    assert written == "".join(pieces) + Investment.objects.get().title


def downloaded(client, fmt, query=None):
    """The download's text; of a JSON download, from its rows on (its meta says when it was
    made)."""
    url = reverse("investments:export", args=[fmt])
    body = b"".join(client.get(url, query or {}).streaming_content).decode("utf-8")
    return body.partition('"rows": [')[2] if fmt == "json" else body


def made_in_python(queryset, fmt):
    written = written_in_python(queryset, INVESTMENTS.columns, fmt)
    return written.partition('"rows": [')[2] if fmt == "json" else written


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_download_is_the_same_file_as_before(client, fmt):
    make_investment(title="Comma, Ltd. plant", amount=Decimal(1225), amount_unit=1000)
    make_investment(title="=formula", amount=None, investor=make_organization(name='"Q"'))
    assert downloaded(client, fmt) == made_in_python(Investment.objects.published(), fmt)


@pytest.mark.django_db
def test_a_json_download_with_no_rows_is_an_empty_list(client):
    body = b"".join(client.get(reverse("investments:export", args=["json"])).streaming_content)
    assert json.loads(body)["rows"] == []
    assert body.endswith(b'"rows": [\n]}\n')


@pytest.mark.django_db
def test_a_filtered_download_has_the_lists_rows(client):
    make_investment(slug="approved", stage="approved")
    make_investment(slug="applied", stage="applied")
    body = b"".join(client.get(CSV_URL, {"stage": "approved"}).streaming_content).decode()
    assert [line.split(",")[0] for line in body.splitlines()[1:]] == ["approved"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_download_takes_one_query_or_one_a_chunk(django_assert_num_queries, fmt):
    for n in range(5):
        make_investment(slug=f"p-{n}")
    queryset = Investment.objects.published()
    # On SQLite one query, the sources in it; on PostgreSQL the query, its JIT setting and a
    # query for the sources of each chunk (two chunks of three rows here).
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 1):
        chunks = list(database_lines(queryset, INVESTMENTS.columns, fmt, chunk_size=3))
    end = ",\n{" if fmt == "json" else "\r\n"
    assert [chunk.count(end) for chunk in chunks] == [3, 2]


QUERIES = [
    {"q": "plant"},
    {"q": "Acme"},
    {"ordering": "-amount"},
    {"ordering": "title"},
    {"stage": ["approved", "applied"], "origin": "JP"},
    {"sector": "electronics"},
    {"investor": "acme"},
    {"initiative": "the-initiative"},
    {"period_from": "2021", "period_to": "2022", "period_match": "within"},
    {"amount_min_million": "100", "amount_max_million": "5000"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("query", QUERIES)
def test_every_filter_and_order_gives_the_rows_python_gives(client, query, fmt):
    sector = make_sector(name="Electronics", slug="electronics")
    investor = make_organization(name="Acme", slug="acme")
    initiative = make_initiative(slug="the-initiative")
    for n in range(12):
        make_investment(
            title=f"Plant {n}" if n % 2 else f"Office {n}",
            stage="approved" if n % 3 else "applied",
            origin_country="JP" if n % 4 else "US",
            sector=sector if n % 2 else None,
            investor=investor if n % 3 == 0 else None,
            initiative=initiative if n % 5 == 0 else None,
            amount=Decimal(n * 250_000_000) if n % 6 else None,
            period_start=date(2020 + n % 4, 1, 1),
            period_end=date(2020 + n % 4, 12, 31),
        )
    filterset = INVESTMENTS.filterset(query, queryset=INVESTMENTS.rows())
    assert filterset.is_valid()
    expected = made_in_python(filterset.qs, fmt)
    assert len(expected.splitlines()) > 1
    assert downloaded(client, fmt, query) == expected


SLUG = Column("slug", "The slug.")
TITLE = Column("title", "The title.")
SOURCES = Column("urls", "The sources.", related=("sources", "url"), separator=" | ")
OTHER_SOURCES = Column("titles", "Their titles.", related=("sources", "title"))


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("linked_in_query", [True, False])
@pytest.mark.parametrize(
    "columns",
    [
        [SOURCES, SLUG, TITLE],
        [SLUG, TITLE, SOURCES],
        [SLUG, SOURCES, OTHER_SOURCES, TITLE],
        [SOURCES, OTHER_SOURCES],
        [SLUG, SOURCES, TITLE, OTHER_SOURCES],
    ],
)
def test_linked_cells_go_in_their_place(columns, linked_in_query, fmt):
    sources = [make_source(url=f"https://example.org/{n},x", title=f"=Title {n}") for n in range(3)]
    make_investment(slug="two", sources=sources[1:])
    make_investment(slug="none", sources=[])
    make_investment(slug="all", sources=sources)
    queryset = Investment.objects.published()
    rows = database_lines(queryset, columns, fmt, chunk_size=2, linked_in_query=linked_in_query)
    if fmt == "json":
        written = "".join(stream_json_lines(META, rows))
    else:
        written = "".join(stream_csv_lines(columns, rows))
    assert written == written_in_python(queryset, columns, fmt)


@pytest.mark.django_db
def test_no_rows_have_no_linked_values():
    make_investment(slug="one")
    assert related_values(Investment, [], "sources", "url") == {}


@pytest.mark.django_db
def test_a_chunks_keys_reach_the_query_as_one_value_on_postgresql():
    """The linked values of a chunk's 2,000 rows are found by one query whose keys are one
    array on PostgreSQL (psycopg reads a query through for its placeholders every time it
    runs it), and a placeholder each on SQLite."""
    cited = make_investment(slug="cited", sources=[make_source(url="https://example.org/a")])
    keys = [cited.pk, *range(10**6, 10**6 + 1_999)]
    sent = []

    def record(execute, sql, params, many, context):
        sent.append(params)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        found = related_values(Investment, keys, "sources", "url")
    assert found == {cited.pk: ["https://example.org/a"]}
    assert len(sent) == 1
    if connection.vendor == "postgresql":
        assert len(sent[0]) < 5, sent[0]
    else:
        assert len(sent[0]) >= 2_000


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", FORMATS)
def test_outside_a_transaction_the_rows_stream_from_a_connection_of_their_own(fmt):
    """On PostgreSQL, a download made outside a transaction (as the download view makes it)
    reads its rows on a connection of its own, streamed, which may share the query among
    parallel workers; the page's connection reads only each chunk's sources. The same bytes
    either way, the awkward text and the chunks' seams included."""
    sources = [make_source(url=f"https://example.org/{n},x") for n in range(3)]
    for n, text in enumerate(AWKWARD):
        make_investment(
            title=text or f"Untitled {n}", slug=f"awkward-{n}", sources=sources[: n % 4]
        )
    queryset = Investment.objects.published()
    separate = connection.vendor == "postgresql"
    with CaptureQueriesContext(connection) as queries:
        rows = list(database_lines(queryset, INVESTMENTS.columns, fmt, chunk_size=5))
    read = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    # PostgreSQL: a query for the sources of each chunk of 5 rows; SQLite: the one query.
    assert len(read) == (4 if separate else 1), read
    if separate:
        assert all("investments_investment_sources" in sql for sql in read), read
    if fmt == "json":
        written = "".join(stream_json_lines(META, rows))
    else:
        written = "".join(stream_csv_lines(INVESTMENTS.columns, rows))
    assert written == written_in_python(queryset, INVESTMENTS.columns, fmt)
