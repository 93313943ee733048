"""The "Cite this record" section: the citation on every record's page and its BibTeX, RIS
and CSL-JSON downloads, which must parse in the tools people import them with."""

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from partnership.agreements.models import Agreement, CooperationArea, Policy
from partnership.core import versions
from partnership.core.citation_formats import bibtex, bibtex_escape, csl_json, ris
from partnership.core.citations import Citation
from partnership.initiatives.models import Initiative
from partnership.investments.models import Investment, InvestmentFigure
from partnership.organizations.models import Organization, Person
from partnership.sectors.models import Sector
from tests import factories

CSL_SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.json").read_text())

# A title with Thai, Japanese and every character LaTeX treats specially.
AWKWARD = "ความร่วมมือ 日本の協力 & 50% {braces} $5 #1 a_b x^2 a~b back\\slash {unbalanced"


def latex_decoder():
    """LaTeX to text as a reference manager reads it, `\\textasciicircum` being "^"."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "ascii", macros=[MacroTextSpec("textasciicircum", "^")], prepend=True
    )
    return LatexNodes2Text(latex_context=context)


def parse_bibtex(text):
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(decoder=latex_decoder())]
    )
    assert library.failed_blocks == []
    assert len(library.entries) == 1
    return library.entries[0]


def parse_ris(text):
    entries = rispy.loads(text)
    assert len(entries) == 1
    return entries[0]


def parse_csl(text):
    items = json.loads(text)
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(items)
    assert len(items) == 1
    return items[0]


def a_citation(**kw):
    values = {
        "key": "agreement-x",
        "title": "A title",
        "path": "/agreements/x/",
        "url": "https://example.org/agreements/x/",
        "site": "Partnership Tracker",
        "publisher": "Partnership Tracker",
        "updated": date(2026, 11, 1),
        "accessed": date(2026, 12, 2),
    }
    return Citation(**{**values, **kw})


# ---------- The writers ----------


def test_it_escapes_what_latex_treats_specially_and_keeps_utf8():
    assert bibtex_escape("R&D 50% {x} $1 #2 a_b ^ ~ \\") == (
        r"R\&D 50\% \{x\} \$1 \#2 a\_b \textasciicircum{} \textasciitilde{} \textbackslash{}"
    )
    assert bibtex_escape("ความร่วมมือ 日本") == "ความร่วมมือ 日本"
    assert bibtex_escape("two\n lines") == "two lines"


def test_the_bibtex_round_trips_an_awkward_title():
    citation = a_citation(title=AWKWARD, publisher="Ministry of Industry & Trade")
    entry = parse_bibtex(bibtex(citation))
    assert entry.entry_type == "misc"
    assert entry.key == "agreement-x"
    assert entry["title"] == AWKWARD
    assert entry["author"] == "Ministry of Industry & Trade"
    assert entry["publisher"] == "Ministry of Industry & Trade"
    assert entry["howpublished"] == "Partnership Tracker"
    assert entry["url"] == "https://example.org/agreements/x/"
    assert entry["urldate"] == "2026-12-02"
    assert entry["date"] == "2026-11-01"
    assert entry["year"] == "2026"


def test_the_ris_round_trips_an_awkward_title():
    text = ris(a_citation(title=AWKWARD))
    assert text.startswith("TY  - ELEC\r\n")
    assert text.endswith("ER  - \r\n")
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in text.splitlines())
    entry = parse_ris(text)
    assert entry["type_of_reference"] == "ELEC"
    assert entry["title"] == AWKWARD
    assert entry["secondary_title"] == "Partnership Tracker"
    assert entry["publisher"] == "Partnership Tracker"
    assert entry["urls"] == ["https://example.org/agreements/x/"]
    assert entry["date"] == "2026/11/01/"
    assert entry["access_date"] == "2026/12/02/"
    assert entry["id"] == "agreement-x"


def test_a_reported_figure_is_a_dataset():
    citation = a_citation(kind="dataset")
    assert parse_ris(ris(citation))["type_of_reference"] == "DATA"
    assert parse_csl(csl_json(citation))["type"] == "dataset"


def test_the_csl_json_is_valid_and_keeps_the_title():
    item = parse_csl(csl_json(a_citation(title=AWKWARD)))
    assert item == {
        "id": "agreement-x",
        "type": "webpage",
        "title": AWKWARD,
        "author": [{"literal": "Partnership Tracker"}],
        "container-title": "Partnership Tracker",
        "publisher": "Partnership Tracker",
        "URL": "https://example.org/agreements/x/",
        "accessed": {"date-parts": [[2026, 12, 2]]},
        "issued": {"date-parts": [[2026, 11, 1]]},
        "note": "Record last updated 1 November 2026.",
    }


def test_a_title_on_several_lines_is_written_on_one():
    citation = a_citation(title="First line\nsecond line")
    assert parse_bibtex(bibtex(citation))["title"] == "First line second line"
    assert parse_ris(ris(citation))["title"] == "First line second line"


def test_a_record_without_a_date_leaves_the_date_out():
    citation = a_citation(updated=None)
    assert "year" not in parse_bibtex(bibtex(citation)).fields_dict
    assert "date" not in parse_ris(ris(citation))
    assert "issued" not in parse_csl(csl_json(citation))
    assert "Last updated" not in citation.sentence


# ---------- The downloads of every kind of record ----------


def area():
    return factories.make_area(factories.make_agreement(short_title="Framework"), number=2)


def person(published=True):
    """A person is public with a published agreement they signed."""
    agreement = factories.make_agreement(published=published)
    return factories.make_signatory(agreement, factories.make_person()).person


KINDS = {
    "agreement": (factories.make_agreement, "agreements:cite"),
    "area": (area, "areas:cite"),
    "initiative": (factories.make_initiative, "initiatives:cite"),
    "investment": (factories.make_investment, "investments:cite"),
    "figure": (factories.make_figure, "investments:figure_cite"),
    "organization": (factories.make_organization, "organizations:cite"),
    "sector": (factories.make_sector, "sectors:cite"),
    "policy": (factories.make_policy, "policies:cite"),
    "person": (person, "people:cite"),
}

MEDIA_TYPES = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json",
}


def cite_url(kind, record, fmt):
    return reverse(KINDS[kind][1], args=[record.slug, fmt])


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_record_has_its_three_citations(client, kind):
    record = KINDS[kind][0]()
    page = record.get_absolute_url()
    full = f"http://testserver{page}"
    today = timezone.localdate()
    responses = {fmt: client.get(cite_url(kind, record, fmt)) for fmt in MEDIA_TYPES}
    for fmt, response in responses.items():
        assert cite_url(kind, record, fmt) == f"{page}cite.{fmt}"
        assert response.status_code == 200
        assert response["Content-Type"] == MEDIA_TYPES[fmt]
        assert (
            response["Content-Disposition"] == f'attachment; filename="{kind}-{record.slug}.{fmt}"'
        )
        assert response[versions.HEADER] == str(versions.current())
    entry = parse_bibtex(responses["bib"].content.decode())
    assert entry.key == f"{kind}-{record.slug}"
    assert entry["url"] == full
    assert entry["urldate"] == today.isoformat()
    assert parse_ris(responses["ris"].content.decode())["urls"] == [full]
    item = parse_csl(responses["json"].content.decode())
    assert item["URL"] == full
    assert item["type"] == ("dataset" if kind == "figure" else "webpage")
    assert item["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_every_record_page_shows_its_citation(client, kind):
    record = KINDS[kind][0]()
    html = client.get(record.get_absolute_url()).content.decode()
    assert 'id="cite-heading">Cite this record</h2>' in html
    for fmt, media_type in MEDIA_TYPES.items():
        url = cite_url(kind, record, fmt)
        assert f'<a href="{url}" download type="{media_type.split(";")[0]}">' in html
    sentence = re.search(r'<p class="citation" id="citation-text">(.*?)</p>', html, re.S)
    assert sentence is not None
    today = format_date(timezone.localdate(), "j F Y")
    assert f"http://testserver{record.get_absolute_url()} (accessed {today})." in sentence[1]
    assert "Partnership Tracker." in sentence[1]
    assert f"Data version {versions.current()}." in sentence[1]


@pytest.mark.django_db
def test_the_sentence_names_title_site_last_update_and_address(client):
    agreement = factories.make_agreement(title="Framework on co-creation")
    Agreement.objects.filter(pk=agreement.pk).update(
        updated_at=datetime(2026, 3, 4, 12, tzinfo=UTC)
    )
    response = client.get(agreement.get_absolute_url())
    citation = response.context["citation"]
    today = format_date(timezone.localdate(), "j F Y")
    assert citation.sentence == (
        "Framework on co-creation. Partnership Tracker. Last updated 4 March 2026. "
        f"Data version {versions.current()}. "
        f"http://testserver{agreement.get_absolute_url()} (accessed {today})."
    )


@pytest.mark.django_db
def test_it_names_the_site_and_publisher_from_the_settings(client, settings):
    settings.SITE_NAME = "Thai–Japanese Partnership Record"
    settings.SITE_PUBLISHER = "Ministry of Industry"
    agreement = factories.make_agreement(title="Framework")
    sentence = client.get(agreement.get_absolute_url()).context["citation"].sentence
    assert sentence.startswith("Framework. Thai–Japanese Partnership Record, Ministry of Industry.")
    entry = parse_bibtex(client.get(cite_url("agreement", agreement, "bib")).content.decode())
    assert entry["howpublished"] == "Thai–Japanese Partnership Record"
    assert entry["publisher"] == "Ministry of Industry"
    item = parse_csl(client.get(cite_url("agreement", agreement, "json")).content.decode())
    assert item["container-title"] == "Thai–Japanese Partnership Record"
    assert item["author"] == [{"literal": "Ministry of Industry"}]


@pytest.mark.django_db
def test_awkward_titles_survive_every_format(client):
    initiative = factories.make_initiative(title=AWKWARD)
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "ความร่วมมือ 日本の協力 &amp; 50% {braces}" in html
    bib = client.get(cite_url("initiative", initiative, "bib")).content.decode()
    assert parse_bibtex(bib)["title"] == AWKWARD
    ris_text = client.get(cite_url("initiative", initiative, "ris")).content.decode()
    assert parse_ris(ris_text)["title"] == AWKWARD
    csl = client.get(cite_url("initiative", initiative, "json")).content.decode()
    assert parse_csl(csl)["title"] == AWKWARD


@pytest.mark.django_db
def test_an_area_is_cited_with_its_number_and_agreement(client):
    record = area()
    item = parse_csl(client.get(cite_url("area", record, "json")).content.decode())
    assert item["title"] == f"Cooperation area 2: {record.title} (Framework)"


@pytest.mark.django_db
def test_an_area_is_dated_by_its_own_last_change_or_its_agreements(client):
    record = area()
    old = datetime(2021, 5, 6, tzinfo=UTC)
    Agreement.objects.filter(pk=record.agreement_id).update(updated_at=old)
    citation = client.get(record.get_absolute_url()).context["citation"]
    assert citation.updated == timezone.localdate()  # the area's own change, just now
    record.history.update(history_date=datetime(2020, 1, 1, tzinfo=UTC))
    citation = client.get(record.get_absolute_url()).context["citation"]
    assert citation.updated == date(2021, 5, 6)  # the agreement's, the later


@pytest.mark.django_db
def test_a_person_is_cited_by_name_and_dated_by_their_records_last_change(client):
    record = person()
    record.history.update(history_date=datetime(2022, 1, 13, 5, tzinfo=UTC))
    citation = client.get(record.get_absolute_url()).context["citation"]
    assert citation.title == record.name
    assert citation.updated == date(2022, 1, 13)
    item = parse_csl(client.get(cite_url("person", record, "json")).content.decode())
    assert item["title"] == record.name


@pytest.mark.django_db
def test_a_policy_is_cited_by_its_title(client):
    policy = factories.make_policy(title="Bio-Circular-Green economy model", acronym="BCG")
    entry = parse_bibtex(client.get(cite_url("policy", policy, "bib")).content.decode())
    assert entry.key == f"policy-{policy.slug}"
    assert entry["title"] == str(policy)


@pytest.mark.django_db
def test_a_figure_is_cited_as_its_page_names_it(client):
    figure = factories.make_figure()
    item = parse_csl(client.get(cite_url("figure", figure, "json")).content.decode())
    assert item["title"] == "Applications: investment from Japan in Thailand, Jan–Sep 2021"


# ---------- Drafts, previews, bad addresses ----------


def draft_area():
    return factories.make_area(factories.make_agreement(published=False))


DRAFTS = {
    "agreement": lambda: factories.make_agreement(published=False),
    "area": draft_area,
    "initiative": lambda: factories.make_initiative(published=False),
    "investment": lambda: factories.make_investment(published=False),
    "figure": lambda: factories.make_figure(published=False),
    "organization": lambda: factories.make_organization(published=False),
    "sector": lambda: factories.make_sector(published=False),
    "policy": lambda: factories.make_policy(published=False),
    "person": lambda: person(published=False),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", DRAFTS)
def test_a_drafts_citations_are_a_404_to_the_public(client, staff_client, kind):
    draft = DRAFTS[kind]()
    for fmt in MEDIA_TYPES:
        assert client.get(cite_url(kind, draft, fmt)).status_code == 404
        assert staff_client.get(cite_url(kind, draft, fmt)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("kind", DRAFTS)
def test_those_who_may_preview_a_draft_may_cite_it(editor_client, kind):
    draft = DRAFTS[kind]()
    response = editor_client.get(cite_url(kind, draft, "bib"))
    assert response.status_code == 200
    assert parse_bibtex(response.content.decode()).key == f"{kind}-{draft.slug}"


@pytest.mark.django_db
@pytest.mark.parametrize("ending", ["cite.txt", "cite.BIB", "cite.", "cite.bib.exe"])
def test_an_unknown_format_is_a_404_before_any_lookup(client, django_assert_num_queries, ending):
    agreement = factories.make_agreement()
    # only the data version in the 404 page's footer
    with django_assert_num_queries(1):
        response = client.get(f"{agreement.get_absolute_url()}{ending}")
    assert response.status_code == 404


@pytest.mark.django_db
def test_an_unknown_record_is_a_404(client):
    assert client.get(reverse("agreements:cite", args=["nothing-here", "bib"])).status_code == 404


@pytest.mark.django_db
def test_a_citation_download_runs_two_queries(client, django_assert_num_queries):
    record = area()
    # the area with its agreement and last change, the data version
    with django_assert_num_queries(2):
        assert client.get(cite_url("area", record, "ris")).status_code == 200


# ---------- The demo data ----------


@pytest.mark.django_db
def test_every_demo_record_page_offers_citations_that_parse(client, demo):
    models = (
        Agreement,
        CooperationArea,
        Initiative,
        Investment,
        InvestmentFigure,
        Organization,
        Sector,
        Policy,
        Person,
    )
    for record in [record for model in models for record in model.objects.published()]:
        url = record.get_absolute_url()
        assert client.get(url).status_code == 200, url
        parse_bibtex(client.get(f"{url}cite.bib").content.decode())
        parse_ris(client.get(f"{url}cite.ris").content.decode())
        parse_csl(client.get(f"{url}cite.json").content.decode())
