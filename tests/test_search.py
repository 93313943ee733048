"""The site search: what each query must and must not find, in the demo data and in records
written in Thai and Japanese; ranking; drafts; hostile queries; the page and its queries;
the full-text index in the query plans. Runs on SQLite and on PostgreSQL (DATABASE_URL)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core.demo import load_demo
from partnership.organizations.models import Organization
from partnership.search import index
from partnership.search.models import Word
from tests.factories import (
    make_initiative,
    make_investment,
)

SEARCH = reverse("site:search")

# Records in Thai and Japanese, besides the demo's (which has Japanese only in a source's
# title): what a reader types must find them.
JAPANESE = "/initiatives/monozukuri-jinzai/"
THAI = "/initiatives/elv-thai/"
DRAFT = "/initiatives/secret-plan/"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo data with a few records of our own, loaded once for the module's tests and
    rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        denso = Organization.objects.get(slug="denso")
        denso.aliases = "デンソー"
        denso.save()
        make_initiative(
            title="ものづくり人材育成プログラム",
            slug="monozukuri-jinzai",
            summary="タイの中小企業向けのIoT人材育成。",
        )
        make_initiative(
            title="ระบบจัดการซากยานยนต์",
            slug="elv-thai",
            summary="โครงการสาธิตการรีไซเคิลรถยนต์ในนิคมอุตสาหกรรมปิ่นทอง",
        )
        make_initiative(title="Secret draft monozukuri plan", slug="secret-plan", published=False)
        yield
        transaction.set_rollback(True)


def urls(query, **kwargs):
    return [hit.url for hit in index.search(query, **kwargs).hits]


FRAMEWORK = "/agreements/framework-co-creation-innovative-sustainable-growth-2022/"
ELV_MEMORANDUM = "/agreements/nedo-moi-ieat-elv-memorandum-2019/"
JTEPA = "/agreements/jtepa/"
ELV = "/initiatives/elv-management-system/"
ITC = "/initiatives/industry-transformation-center/"
LASI = "/initiatives/lasi/"
LIPE = "/initiatives/lipe/"
SMART = "/initiatives/smart-monozukuri/"
BCG = "/policies/bcg-economy-model/"
SUPPLY_CHAIN = "/areas/co-creation-2022-3-supply-chain/"
DENSO = "/organizations/denso/"
DIPROM = "/organizations/department-of-industrial-promotion/"
TOYOTA_TSUSHO = "/organizations/toyota-tsusho/"
HAGIUDA = "/people/hagiuda-koichi/"
SURIYA = "/people/suriya-juangroongruangkit/"
PETROCHEMICALS = "/sectors/petrochemicals/"
PET_RESIN = "/investments/pet-resin-2021/"
JAN_SEP_2021 = "/investments/figures/jp-th-applications-2021-jan-sep/"
EPA_SOURCE = "https://www.meti.go.jp/policy/trade_policy/epa/epa_en/th/"
HAGIUDA_VISIT = "https://www.th.emb-japan.go.jp/itpr_ja/pr2022_01.html"

# (query, found first, also found, never found)
CASES = [
    # Names, acronyms, the article's own spellings (other names)
    ("monozukuri", SMART, [], [DRAFT]),
    ("Smart Monozukuri", SMART, [], []),
    ("Smart Monosukuri", SMART, [], []),
    ("Industrial Transformation Center", ITC, [FRAMEWORK], []),
    ("LASI", LASI, [ITC], [LIPE]),
    ("Lean", None, [LASI, LIPE], []),
    ("ELV", ELV, [ELV_MEMORANDUM], []),
    ("Denso", DENSO, [LASI], []),
    ("JTEPA", JTEPA, [], []),
    ("BCG model", BCG, [], []),
    ("Toyota Tsusho", TOYOTA_TSUSHO, [ELV], []),
    ("ＬＡＳＩ", LASI, [], []),  # full-width letters
    # Words and word prefixes, never fragments inside a word
    ("petrochemical", None, [PET_RESIN, PETROCHEMICALS], []),
    ("petro", None, [PET_RESIN, PETROCHEMICALS], []),
    ("PET", PET_RESIN, [], [SUPPLY_CHAIN]),  # not "competitive"
    ("competitive", SUPPLY_CHAIN, [], []),
    ("petitive", None, [], [SUPPLY_CHAIN]),
    ("EPA", EPA_SOURCE, [], [DIPROM, JTEPA]),  # not "Department", not "JTEPA"
    ("partment", None, [], [DIPROM]),
    # Hyphens and spaces alike
    ("end of life vehicle", None, [ELV, ELV_MEMORANDUM], []),
    ("end-of-life vehicle", None, [ELV, ELV_MEMORANDUM], []),
    ("supply-chain", SUPPLY_CHAIN, [FRAMEWORK], []),
    ("supply chain", SUPPLY_CHAIN, [FRAMEWORK], []),
    ('"supply chain co-creation"', SUPPLY_CHAIN, [], []),
    # People, titles, places, numbers
    ("Hagiuda", HAGIUDA, [FRAMEWORK, HAGIUDA_VISIT], []),
    ("Suriya", SURIYA, [FRAMEWORK], []),
    ("Minister of Industry", None, [SURIYA, FRAMEWORK], []),
    ("Shangri-La", FRAMEWORK, [], []),
    ("Shangri La Bangkok", FRAMEWORK, [], []),
    ("Pinthong", ELV, [], []),
    ("3,062", PET_RESIN, [], []),
    ("3062", PET_RESIN, [], []),
    ("67,817", JAN_SEP_2021, [], []),
    # One or two letters wrong in a longer word
    ("monozkuri", SMART, [], [DRAFT]),
    ("Hagiudda", HAGIUDA, [], []),
    ("Pinthongg", ELV, [], []),
    ("Suryia Juangroongruangkit", SURIYA, [], []),
    ("Juangrongruangkitt", SURIYA, [], []),  # two letters wrong
    # Japanese: whole words, parts of words, kana and kanji
    ("萩生田", HAGIUDA, [HAGIUDA_VISIT], []),
    ("萩生", HAGIUDA, [HAGIUDA_VISIT], []),
    ("経済産業大臣", HAGIUDA_VISIT, [], []),
    ("デンソー", DENSO, [], []),
    ("ﾃﾞﾝｿｰ", DENSO, [], []),  # half-width katakana
    ("ものづくり", JAPANESE, [], [SMART]),
    ("人材育成", JAPANESE, [], []),
    ("中小企業向け", JAPANESE, [], []),  # the demo speaks of 中小企業 too, in its translations
    ("IoT人材", JAPANESE, [], []),
    # Thai: words inside a run of text without spaces
    ("ยานยนต์", THAI, [], []),
    ("ปิ่นทอง", THAI, [], []),
    ("รีไซเคิล", THAI, [], []),
    # Drafts are never found
    ("Secret draft", None, [], [DRAFT]),
]


@pytest.mark.parametrize(("query", "first", "found", "not_found"), CASES)
def test_it_finds_what_people_type(world, db, query, first, found, not_found):
    results = urls(query)
    if first is not None:
        assert results and results[0] == first, (query, results)
    for url in found:
        assert url in results, (query, url, results)
    for url in not_found:
        assert url not in results, (query, url, results)


def test_a_misspelt_word_says_what_was_searched_for_instead(world, db):
    results = index.search("monozkuri")
    assert results.corrections == ["monozukuri"]
    assert index.search("monozukuri").corrections == []


def test_a_draft_word_is_never_offered_as_a_correction(world, db):
    make_initiative(title="Zanzibarian cooperation", published=False)
    results = index.search("Zanzibarien")
    assert results.total == 0 and results.corrections == []


@pytest.mark.parametrize("query", ["a", "the", "a the of", "***", "  ", "-", "“”"])
def test_a_query_of_nothing_to_look_for_gets_a_message(world, db, query):
    with pytest.raises(index.QueryProblem):
        index.search(query)


def test_counts_by_kind_and_a_filter_by_kind(world, db):
    results = index.search("Japan")
    counts = {kind.key: count for kind, count in results.counts}
    assert counts["agreements"] >= 4 and counts["sources"] >= 5
    assert results.total == sum(counts.values()) == results.all_total
    narrowed = index.search("Japan", kinds=["agreements"])
    assert narrowed.total == counts["agreements"]
    assert {hit.kind.key for hit in narrowed.hits} == {"agreements"}
    assert narrowed.all_total == results.all_total


def test_results_come_a_page_at_a_time(world, db):
    first = index.search("Japan", per_page=5)
    second = index.search("Japan", per_page=5, page=2)
    assert len(first.hits) == 5 and first.pages == -(-first.total // 5)
    assert not {hit.url for hit in first.hits} & {hit.url for hit in second.hits}
    with pytest.raises(index.PageProblem):
        index.search("Japan", per_page=5, page=first.pages + 1)


def test_the_passage_is_marked_and_escaped(world, db):
    make_initiative(
        title="Marking test", summary="Tags like <b>bold</b> & the word zygomorphic stay text."
    )
    (hit,) = index.search("zygomorphic").hits
    assert hit.passage == (
        "Tags like &lt;b&gt;bold&lt;/b&gt; &amp; the word <mark>zygomorphic</mark> stay text."
    )
    assert str(hit.title_html) == "Marking test"


def test_an_other_name_that_matched_is_shown(world, db):
    (hit, *_) = index.search("Smart Monosukuri").hits
    assert hit.other_name == "<mark>Smart</mark> <mark>Monosukuri</mark>"
    (hit, *_) = index.search("ものづくり").hits
    assert "<mark>ものづくり</mark>人材育成プログラム" in hit.title_html


# The page -------------------------------------------------------------------------------------


def page(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_page_shows_ranked_results_with_kinds_and_passages(world, client):
    _, html = page(client, q="monozkuri")
    assert "Search results for “monozkuri”" in html
    assert "these hold monozukuri" in html
    assert '<a href="/initiatives/smart-monozukuri/">Smart <mark>Monozukuri</mark></a>' in html
    assert 'Initiatives <span class="count">(1)</span>' in html
    assert 'href="?q=monozkuri&amp;kind=initiatives"' in html
    assert "Secret draft" not in html
    assert 'value="monozkuri"' in html  # the header box keeps the query


def test_the_page_filters_by_kind_and_pages(world, client):
    _, html = page(client, q="Japan", kind="agreements")
    assert 'aria-current="page">Agreements' in html
    assert "among agreements" in html
    _, html = page(client, q="Japan", page="2")
    assert "page 2 of" in html and 'rel="prev"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "a"}, "Words as common as these"),
        ({"q": "x" * 201}, "at most 200 characters"),
        ({"q": "x" * 10_000}, "at most 200 characters"),
        ({"q": "LASI\x00"}, "Null characters are not allowed"),
        ({"q": "LASI", "kind": "secrets"}, "Select a valid choice"),
        ({"q": "LASI", "page": "abc"}, "Enter a whole number"),
        ({"q": "LASI", "page": "0"}, "greater than or equal to 1"),
        ({"q": "LASI", "page": "9999"}, "There is no page 9999"),
    ],
)
def test_the_page_explains_a_search_it_cannot_run(world, client, params, message):
    _, html = page(client, **params)
    assert "That search cannot be used" in html
    assert message in html


HOSTILE = [
    '"',
    '"LASI',
    'LASI"',
    '"""',
    "*",
    "LASI*",
    "*LASI",
    "NEAR(LASI ELV)",
    "LASI NEAR ELV",
    "LASI AND ELV",
    "LASI OR ELV",
    "NOT LASI",
    "LASI -ELV",
    "+LASI",
    "title:LASI",
    "{title}: LASI",
    "^LASI",
    "LASI:*",
    "'LASI' & 'ELV'",
    "(LASI",
    "LASI)",
    "!LASI",
    "LASI <-> ELV",
    "\\",
    "' OR 1=1 --",
    "%",
    "_",
    "\x01\x02",
    "é中文ไทย",
    "\u200b",
    "🙂",
    "a" * 200,
    "LASI " * 40,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_get_results_or_a_message(world, client, query):
    try:
        results = index.search(query)
    except index.QueryProblem:
        pass
    else:
        assert results.total >= 0
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200


def test_operators_are_read_as_words(world, db):
    assert urls("LASI AND Denso") == urls("LASI Denso") != []  # "and" is a common word
    assert urls('"LASI') == urls("LASI*") == urls("(LASI)") == urls("LASI")
    assert urls("LASI OR ELV") == urls("LASI ELV")


# The index in the query plans -------------------------------------------------------------------


def plans(query):
    """The query plan of every statement a search runs."""
    with CaptureQueriesContext(connection) as captured:
        index.search(query)
    found = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A full-text index is read by a bitmap scan; over a few rows, walking another
            # index in the order a count groups by looks cheaper, as it is not at a real size
            # (and reading a whole index alone, cheaper still once autovacuum has marked the
            # table's pages all visible).
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_indexonlyscan = off")
        for statement in captured.captured_queries:
            prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
            cursor.execute(prefix + statement["sql"])
            found.append("\n".join(" ".join(map(str, row)) for row in cursor.fetchall()))
    return found


def test_a_search_reads_the_full_text_index_not_the_records(world, db):
    for _ in range(3):
        make_investment(title="Plant for indexing")
    # A vocabulary of a real size, with its statistics, for the planner to weigh.
    Word.objects.bulk_create(Word(word=f"filler{n:05d}") for n in range(20_000))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_word")
            cursor.execute("ANALYZE search_entry")
            # A table of a few rows is read whole whatever its indexes: ask the planner
            # which index serves the query, as it would choose at a real size.
            cursor.execute("SET LOCAL enable_seqscan = off")
    searched = plans("LASI")
    corrected = plans("monozkuri")
    assert len(searched) == 2 and len(corrected) == 4
    for plan in searched + corrected:
        assert "investments_investment" not in plan, plan
        if connection.vendor == "sqlite":
            assert "SCAN search_entry" not in plan, plan
    if connection.vendor == "sqlite":
        assert all("search_fulltext VIRTUAL TABLE INDEX" in plan for plan in searched)
        assert any("search_word_trigrams VIRTUAL TABLE INDEX" in plan for plan in corrected)
    else:
        assert all("search_entry_fulltext" in plan for plan in searched), searched
        assert "Seq Scan on search_entry" not in "\n".join(searched)
        assert any("search_word_trigrams" in plan for plan in corrected)
