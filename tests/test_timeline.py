"""The timeline: every dated event of the partnership, filterable by kind and year, each
linking to its record and its sources; and an agreement's own actions by party."""

import re
from datetime import date

import pytest
from django.urls import reverse

from partnership.agreements.models import ActionKind
from partnership.core.dates import DatePrecision
from tests import factories as f
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

URL = reverse("site:timeline")
ROW = re.compile(
    r'<tr data-kind="(?P<kind>\w+)">\s*<td class="date"><time datetime="(?P<day>[0-9-]+)">'
    r"(?P<text>[^<]+)</time></td>\s*<td>.*?</td>\s*"
    r'<th scope="row"><a href="(?P<record>[^"]+)">[^<]*</a></th>\s*<td>(?P<sources>.*?)</td>',
    re.S,
)


def rows(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return [match.groupdict() for match in ROW.finditer(response.content.decode())]


@pytest.fixture
def partnership():
    """One dated event of every kind, and drafts that must stay out."""
    source = f.make_source(published_on=date(2020, 8, 17))
    agreement = f.make_agreement(
        title="Economic partnership", signed_on=date(2007, 4, 3), in_force_on=date(2007, 11, 1)
    )
    party = f.make_party(agreement)
    f.make_action(agreement, party, kind=ActionKind.RATIFICATION, date=date(2007, 6, 1))
    # Told once already, by the signing and the in-force date.
    f.make_action(agreement, party, kind=ActionKind.SIGNATURE, date=date(2007, 4, 3))
    f.make_action(agreement, None, kind=ActionKind.ENTRY_INTO_FORCE, date=date(2007, 11, 1))
    f.make_event(
        agreement, date=date(2004, 2, 1), date_precision=DatePrecision.MONTH, title="Talks"
    )
    initiative = f.make_initiative(title="Recycling pilot")
    f.make_milestone(initiative, date=date(2019, 11, 1), date_precision=DatePrecision.MONTH)
    figure = f.make_figure(sources=[source])
    policy = f.make_policy(announced_on=date(2021, 1, 13))
    # Drafts and their parts stay out.
    draft = f.make_agreement(published=False, signed_on=date(2010, 1, 1))
    f.make_action(draft, None, kind=ActionKind.AMENDMENT, date=date(2011, 1, 1))
    f.make_milestone(f.make_initiative(published=False), date=date(2012, 1, 1))
    f.make_figure(published=False, sources=[f.make_source(published_on=date(2013, 1, 1))])
    return {
        "agreement": agreement,
        "initiative": initiative,
        "figure": figure,
        "policy": policy,
        "source": source,
    }


def test_it_lists_each_kind_of_event_in_date_order_with_its_record(client, partnership):
    found = rows(client)
    assert [(row["kind"], row["day"]) for row in found] == [
        ("action", "2004-02"),  # talks, known to the month
        ("signing", "2007-04-03"),
        ("action", "2007-06-01"),  # the ratification
        ("action", "2007-11-01"),  # entry into force, once
        ("milestone", "2019-11"),
        ("release", "2020-08-17"),  # the figure's earliest source
        ("policy", "2021-01-13"),
    ]
    assert found[0]["text"] == "February 2004"
    agreement_url = partnership["agreement"].get_absolute_url()
    assert [row["record"] for row in found] == [agreement_url] * 4 + [
        partnership["initiative"].get_absolute_url(),
        partnership["figure"].get_absolute_url(),
        partnership["policy"].get_absolute_url(),
    ]


def test_each_event_links_its_sources_to_the_list_below(client, partnership):
    response = client.get(URL)
    html = response.content.decode()
    for row in ROW.finditer(html):
        anchors = re.findall(r'href="#source-(\d+)"', row["sources"])
        assert anchors, row.groupdict()
        for pk in anchors:
            assert f'id="source-{pk}"' in html
    figure_row = next(row for row in ROW.finditer(html) if row["kind"] == "release")
    assert f"#source-{partnership['source'].pk}" in figure_row["sources"]


def test_it_filters_by_kinds_and_year(client, partnership):
    assert {row["kind"] for row in rows(client, "?kind=milestone&kind=policy")} == {
        "milestone",
        "policy",
    }
    assert [row["day"] for row in rows(client, "?year=2007")] == [
        "2007-04-03",
        "2007-06-01",
        "2007-11-01",
    ]
    assert [row["day"] for row in rows(client, "?kind=action&year=2007&sort=newest")] == [
        "2007-11-01",
        "2007-06-01",
    ]


def test_it_says_what_is_wrong_with_a_bad_filter_and_shows_no_event(client, partnership):
    for query in ("?year=twenty", "?kind=war", "?year=20070", "?sort=sideways"):
        response = client.get(URL + query)
        assert response.status_code == 200, query
        html = response.content.decode()
        assert "notice-error" in html, query
        assert "<tr data-kind" not in html, query


def timeline_queries(client, n):
    for i in range(n):
        agreement = f.make_agreement(signed_on=date(2000 + i, 1, 1))
        f.make_action(agreement, f.make_party(agreement), date=date(2000 + i, 6, 1))
        f.make_event(agreement, date=date(2000 + i, 2, 1))
        f.make_milestone(f.make_initiative(), date=date(2000 + i, 3, 1))
        f.make_figure(sources=[f.make_source(published_on=date(2000 + i, 4, 1))])
        f.make_policy(announced_on=date(2000 + i, 5, 1))
    return count_queries(client, URL)


def test_it_pins_the_query_count(client):
    # the count and the page of events; agreements and their sources; events with their
    # agreements' sources; actions; milestones with their initiatives' sources; figures
    # and their sources; policies and their sources; the data version (footer).
    assert timeline_queries(client, 1) == 14


def test_it_keeps_the_query_count_flat(client):
    assert timeline_queries(client, 1) == timeline_queries(client, 10)


def test_it_is_in_the_sitemap(client):
    index = client.get("/sitemap-pages.xml").content.decode()
    assert f"http://testserver{URL}</loc>" in index


# The agreement's own page --------------------------------------------------------------------


def test_the_agreement_page_shows_each_partys_actions(client):
    agreement = f.make_agreement(signed_on=date(2007, 4, 3))
    japan = f.make_party(agreement, f.make_organization(name="Government of Japan"))
    thailand = f.make_party(agreement, f.make_organization(name="Government of Thailand"))
    f.make_signatory(agreement, organization=japan.organization)
    source = f.make_source(publisher="Treaty office")
    f.make_action(
        agreement,
        thailand,
        kind=ActionKind.RATIFICATION,
        date=date(2007, 9, 1),
        date_precision=DatePrecision.MONTH,
        source=source,
    )
    f.make_action(agreement, None, kind=ActionKind.AMENDMENT, date=date(2010, 1, 1))
    html = client.get(agreement.get_absolute_url()).content.decode()
    table = html[
        html.index('id="actions-heading"') : html.index("</table>", html.index("actions-heading"))
    ]
    assert re.findall(r'<th scope="col">([^<]+)</th>', table) == [
        "Party",
        "Signature",
        "Ratification",
        "Amendment",
    ]
    assert "Government of Japan" in table and "Government of Thailand" in table
    assert "All parties" in table
    # Japan's signature is the signing date, known from its signatory; Thailand's
    # ratification is known to the month, from its source.
    assert "the signing date; a signatory signed for it" in table
    assert '<time datetime="2007-09">September 2007</time>' in table
    assert f'href="#source-{source.pk}"' in table
    assert f'id="source-{source.pk}"' in html
    assert "Ratification by Government of Thailand" in html  # in its timeline


def test_the_agreement_page_links_documents_signed_the_same_day(client):
    framework = f.make_agreement(signed_on=date(2022, 1, 13), signed_at="Shangri-La Hotel, Bangkok")
    same_place = f.make_agreement(
        title="Memorandum", signed_on=date(2022, 1, 13), signed_at="Bangkok"
    )
    unknown_place = f.make_agreement(title="Joint statement", signed_on=date(2022, 1, 13))
    f.make_agreement(title="Elsewhere", signed_on=date(2022, 1, 13), signed_at="Tokyo")
    f.make_agreement(title="Next day", signed_on=date(2022, 1, 14))
    f.make_agreement(title="Draft", signed_on=date(2022, 1, 13), published=False)
    html = client.get(framework.get_absolute_url()).content.decode()
    section = html[html.index('id="same-day-heading"') :]
    section = section[: section.index("</section>")]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', section)
    assert links == [
        (unknown_place.get_absolute_url(), "Joint statement"),
        (same_place.get_absolute_url(), "Memorandum"),
    ]


def test_demo_framework_document_links_the_two_others_signed_that_day(client, demo):
    html = client.get(
        reverse(
            "agreements:detail", args=["framework-co-creation-innovative-sustainable-growth-2022"]
        )
    ).content.decode()
    section = html[html.index('id="same-day-heading"') :]
    assert "/agreements/meti-ministry-of-energy-moc-energy-transition-2022/" in section
    assert "/agreements/joint-statement-ajif-future-investment-2022/" in section


def test_demo_timeline_holds_every_kind(client, demo):
    kinds = {row["kind"] for row in rows(client)}
    assert kinds == {"signing", "action", "milestone", "release", "policy"}
