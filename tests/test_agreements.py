from datetime import date

import pytest
from django.urls import reverse

from partnership.agreements.filters import AgreementFilter
from partnership.agreements.models import Agreement, AgreementKind, AgreementStatus, PartyRole
from partnership.agreements.selectors import SAME_DAY_LIMIT
from partnership.core.dates import DatePrecision
from tests.factories import (
    READING,
    make_action,
    make_agreement,
    make_area,
    make_document,
    make_event,
    make_initiative,
    make_organization,
    make_party,
    make_person,
    make_policy,
    make_signatory,
    make_source,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

LIST_URL = reverse("agreements:list")


def filtered(params):
    """Titles the agreements FilterSet selects for a query string, or None when it is invalid."""
    f = AgreementFilter(params, queryset=Agreement.objects.published())
    if not f.is_valid():
        return None
    return sorted(a.title for a in f.qs)


# ---------- List page ----------


def test_it_lists_published_agreements(client):
    moi = make_organization(name="Ministry of Industry", acronym="MOI", slug="moi")
    agreement = make_agreement(title="Framework on co-creation", summary="Three areas of work.")
    make_party(agreement, moi)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Framework on co-creation" in html
    assert agreement.get_absolute_url() in html
    assert reverse("organizations:detail", args=["moi"]) in html
    assert "badge-status-signed" in html
    assert html.count("<h1") == 1
    assert "1 agreement" in html


def test_it_leaves_drafts_out_of_the_list(client):
    make_agreement(title="Public agreement")
    make_agreement(title="Secret draft agreement", published=False)
    html = client.get(LIST_URL).content.decode()
    assert "Public agreement" in html
    assert "Secret draft agreement" not in html


def test_it_leaves_draft_parties_out_of_the_list(client):
    agreement = make_agreement()
    make_party(agreement, make_organization(name="Hidden Draft Agency", published=False))
    html = client.get(LIST_URL).content.decode()
    assert "Hidden Draft Agency" not in html


def test_it_shows_an_empty_message(client):
    response = client.get(LIST_URL, {"q": "nothing matches this"})
    assert response.status_code == 200
    assert 'class="empty"' in response.content.decode()
    assert list(response.context["rows"]) == []


def test_it_shows_the_first_page_with_a_message_for_a_bad_page_number(client):
    make_agreement(title="Only agreement")
    response = client.get(LIST_URL, {"page": "abc"})
    assert response.status_code == 200
    assert "whole number" in response.content.decode()
    assert "Only agreement" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page_with_a_message(client):
    make_agreement(title="The only one")
    response = client.get(LIST_URL, {"page": "2"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is no page 2: this list has 1 page; showing the last one." in html
    assert "The only one" in html


def test_it_paginates(client, settings):
    settings.PAGE_SIZE = 2
    for i in range(3):
        make_agreement(title=f"Paged {i}")
    response = client.get(LIST_URL)
    assert len(response.context["rows"]) == 2
    assert 'rel="next"' in response.content.decode()
    assert len(client.get(LIST_URL, {"page": "2"}).context["rows"]) == 1


def test_it_shows_form_errors_and_no_rows_for_bad_filter_values(client):
    make_agreement(title="Should not appear")
    for params in (
        {"party": "no-such-organization"},
        {"policy": "no-such-policy"},
        {"year": "abc"},
        {"year": "99999"},
        {"o": "publication"},
        {"kind": "treaty"},
        {"country": "ZZ"},
    ):
        response = client.get(LIST_URL, params)
        assert response.status_code == 200, params
        html = response.content.decode()
        assert "notice-error" in html, params
        assert "Should not appear" not in html, params


def list_queries(client, n):
    for _ in range(n):
        agreement = make_agreement()
        make_party(agreement)
        make_party(agreement)
    return count_queries(client, LIST_URL)


def test_it_pins_the_list_query_count(client):
    # count, rows, parties with their organizations, sources, party and policy choices,
    # party countries, the data version (footer).
    # and, the first time, each facet's counts and the cache write.
    assert list_queries(client, 1) == 18


def test_it_keeps_the_list_query_count_flat(client):
    few = list_queries(client, 1)
    Agreement.objects.all().delete()
    assert list_queries(client, 24) == few


# ---------- FilterSet ----------


def test_it_filters_by_text_in_title_short_title_and_summary():
    make_agreement(title="Economic partnership", short_title="JTEPA")
    make_agreement(title="Framework", summary="Co-creation for innovative growth")
    make_agreement(title="Other")
    assert filtered({"q": "partnership"}) == ["Economic partnership"]
    assert filtered({"q": "jtepa"}) == ["Economic partnership"]
    assert filtered({"q": "INNOVATIVE"}) == ["Framework"]
    assert filtered({"q": "  "}) == ["Economic partnership", "Framework", "Other"]


def test_it_filters_by_kind_and_status():
    make_agreement(title="EPA", kind=AgreementKind.EPA, status=AgreementStatus.IN_FORCE)
    make_agreement(title="MOC", kind=AgreementKind.MOC, status=AgreementStatus.SIGNED)
    assert filtered({"kind": "epa"}) == ["EPA"]
    assert filtered({"status": "signed"}) == ["MOC"]
    assert filtered({"kind": "treaty"}) is None
    assert filtered({"status": "dead"}) is None


def test_it_filters_by_party_slug():
    meti = make_organization(slug="meti", country="JP")
    first = make_agreement(title="First")
    make_party(first, meti)
    make_party(first, make_organization())
    make_agreement(title="Second")
    assert filtered({"party": "meti"}) == ["First"]
    assert filtered({"party": "nobody"}) is None


def test_it_offers_only_published_parties_of_published_agreements():
    shown = make_organization(slug="shown")
    make_party(make_agreement(), shown)
    make_party(make_agreement(), make_organization(slug="draft-org", published=False))
    make_party(make_agreement(published=False), make_organization(slug="party-to-draft"))
    make_organization(slug="no-agreements")
    choices = [value for value, _ in AgreementFilter().form.fields["party"].choices if value]
    assert [str(value) for value in choices] == ["shown"]
    assert filtered({"party": "draft-org"}) is None


def test_it_filters_by_party_country_without_duplicates():
    thai = make_agreement(title="Thai")
    make_party(thai, make_organization(country="TH"))
    make_party(thai, make_organization(country="TH"))
    japanese = make_agreement(title="Japanese")
    make_party(japanese, make_organization(country="JP"))
    assert filtered({"country": "TH"}) == ["Thai"]
    assert filtered({"country": "JP"}) == ["Japanese"]
    assert filtered({"country": "KR"}) is None
    country_choices = dict(AgreementFilter().form.fields["country"].choices)
    assert country_choices["TH"] == "Thailand"
    assert "KR" not in country_choices


def test_it_filters_by_policy_slug():
    bcg = make_policy(slug="bcg")
    served = make_agreement(title="Served")
    served.policies.add(bcg)
    make_agreement(title="Not served")
    draft_policy = make_policy(slug="draft-policy", published=False)
    served.policies.add(draft_policy)
    assert filtered({"policy": "bcg"}) == ["Served"]
    assert filtered({"policy": "draft-policy"}) is None


def test_it_filters_by_year_signed():
    make_agreement(title="2007", signed_on=date(2007, 4, 3))
    make_agreement(title="2022", signed_on=date(2022, 1, 13))
    make_agreement(title="Unsigned", signed_on=None, status=AgreementStatus.NEGOTIATING)
    assert filtered({"year": "2022"}) == ["2022"]
    assert filtered({"year": "1999"}) == []
    assert filtered({"year": "abc"}) is None
    assert filtered({"year": "99999"}) is None
    assert filtered({"year": "20.5"}) is None


def test_it_orders_by_whitelisted_fields_only():
    make_agreement(title="B", signed_on=date(2007, 4, 3))
    make_agreement(title="A", signed_on=date(2022, 1, 13))
    make_agreement(title="C", signed_on=None, status=AgreementStatus.NEGOTIATING)

    def order(o):
        f = AgreementFilter({"o": o}, queryset=Agreement.objects.published())
        assert f.is_valid(), f.errors
        return [a.title for a in f.qs]

    assert order("signed_on") == ["B", "A", "C"]
    assert order("-signed_on") == ["A", "B", "C"]
    assert order("title") == ["A", "B", "C"]
    assert order("-title") == ["C", "B", "A"]
    for bad in ("publication", "-uncertainty", "pk", "signed_on,bogus"):
        assert filtered({"o": bad}) is None, bad


def test_it_lists_unsigned_agreements_last_by_default(client):
    make_agreement(title="Unsigned", signed_on=None, status=AgreementStatus.NEGOTIATING)
    make_agreement(title="Old", signed_on=date(2007, 4, 3))
    make_agreement(title="New", signed_on=date(2022, 1, 13))
    rows = client.get(LIST_URL).context["rows"]
    assert [a.title for a in rows] == ["New", "Old", "Unsigned"]


def test_it_keeps_filters_in_a_shareable_url(client):
    make_party(make_agreement(title="By METI"), make_organization(slug="meti"))
    make_agreement(title="Not by METI")
    response = client.get(LIST_URL, {"party": "meti", "kind": "framework"})
    html = response.content.decode()
    assert "By METI" in html
    assert "Not by METI" not in html
    assert 'name="party" value="meti" checked>' in html


# ---------- Detail page ----------


def full_agreement():
    moi = make_organization(name="Ministry of Industry", acronym="MOI", slug="moi", country="TH")
    meti = make_organization(
        name="Ministry of Economy, Trade and Industry", acronym="METI", slug="meti", country="JP"
    )
    agreement = make_agreement(
        title="Framework document on co-creation",
        slug="framework",
        summary="A framework for innovative and sustainable growth.",
        description="The parties will work together.",
        signed_on=date(2022, 1, 13),
        signed_at="Shangri-La Hotel, Bangkok",
        in_force_on=date(2022, 2, 1),
        ends_on=date(2027, 1, 12),
        uncertainty="No official English title was found.",
    )
    make_party(agreement, moi)
    make_party(agreement, meti)
    make_party(
        agreement, make_organization(name="Witnessing Body", slug="witness"), role=PartyRole.WITNESS
    )
    make_signatory(
        agreement,
        make_person(name="Suriya Juangroongruangkit"),
        organization=moi,
        title_at_signing="Minister of Industry",
        order=1,
    )
    make_signatory(
        agreement,
        make_person(name="Hagiuda Koichi"),
        organization=meti,
        title_at_signing="Minister of Economy, Trade and Industry",
        order=2,
    )
    agreement.policies.add(make_policy(title="BCG model", slug="bcg"))
    agreement.policies.add(make_policy(title="Draft policy", published=False))
    make_area(agreement, number=1, title="Technologies and human capital", slug="technologies")
    smes = make_area(agreement, number=2, title="SMEs and digital solutions", slug="smes")
    make_area(agreement, number=3, title="Supply chain co-creation", slug="supply-chain")
    itc = make_initiative(
        title="Industry Transformation Center", acronym="ITC", slug="itc", agreement=agreement
    )
    itc.areas.add(smes, through_defaults=READING)
    draft = make_initiative(
        title="Draft initiative", slug="draft-initiative", published=False, agreement=agreement
    )
    draft.areas.add(smes, through_defaults=READING)
    make_event(
        agreement, date=date(2021, 11, 1), date_precision=DatePrecision.MONTH, title="Talks begin"
    )
    make_document(agreement, title="Signed text", language="en")
    agreement.sources.add(
        make_source(title="Signing report", publisher="News site"),
        make_source(title="Minister's visit", publisher="Embassy of Japan"),
    )
    return agreement


def test_it_shows_an_agreement(client):
    agreement = full_agreement()
    response = client.get(agreement.get_absolute_url())
    assert response.status_code == 200
    assert response.context["preview"] is False
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Framework document on co-creation" in html
    assert "A framework for innovative and sustainable growth." in html
    assert "The parties will work together." in html
    # Parties with their roles, signatories with their titles and the party they signed for.
    assert "Ministry of Industry (MOI)" in html
    assert reverse("organizations:detail", args=["meti"]) in html
    assert "witness" in html
    assert "Suriya Juangroongruangkit</a></strong>, Minister of Industry, for" in html
    assert "Hagiuda Koichi</a></strong>, Minister of Economy, Trade and Industry, for" in html
    # Place and dates.
    assert "13 January 2022" in html
    assert "Shangri-La Hotel, Bangkok" in html
    assert "1 February 2022" in html
    assert "12 January 2027" in html
    # Policies, published only.
    assert "BCG model" in html
    assert reverse("policies:detail", args=["bcg"]) in html
    assert "Draft policy" not in html
    # Areas, numbered and linked; the initiatives under it, published only.
    for slug in ("technologies", "smes", "supply-chain"):
        assert reverse("areas:detail", args=[slug]) in html
    assert '<span class="area-number">2.</span> SMEs and digital solutions' in html
    assert reverse("initiatives:detail", args=["itc"]) in html
    assert "Draft initiative" not in html
    # Documents, uncertainty, sources.
    assert reverse("agreements:document", args=["framework", agreement.documents.get().pk]) in html
    assert 'class="caution"' in html
    assert "No official English title was found." in html
    assert 'class="sources"' in html
    assert "Signing report" in html
    assert '<sup class="ref">' in html


def test_it_orders_the_timeline_by_date_with_precision(client):
    agreement = full_agreement()
    make_event(agreement, date=date(2023, 1, 1), date_precision=DatePrecision.YEAR, title="Review")
    response = client.get(agreement.get_absolute_url())
    titles = [entry.title for entry in response.context["timeline"]]
    assert titles == [
        "Talks begin",
        "Signed at Shangri-La Hotel, Bangkok",
        "Enters into force",
        "Review",
        "Ends",
    ]
    html = response.content.decode()
    timeline = html[html.index('class="timeline"') :]
    assert ">November 2021</time>" in timeline
    assert ">2023</time>" in timeline
    assert timeline.index("November 2021") < timeline.index("13 January 2022")


def test_it_links_related_agreements_both_ways_published_only(client):
    jtepa = make_agreement(title="JTEPA", slug="jtepa", signed_on=date(2007, 4, 3))
    plan = make_agreement(title="Action plan", slug="plan", implements=jtepa)
    amendment = make_agreement(title="Amendment", slug="amendment", amends=jtepa)
    make_agreement(title="Draft amendment", slug="draft-amendment", amends=jtepa, published=False)
    html = client.get(jtepa.get_absolute_url()).content.decode()
    assert plan.get_absolute_url() in html
    assert amendment.get_absolute_url() in html
    assert "Draft amendment" not in html
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Implements" in html
    assert jtepa.get_absolute_url() in html


def test_it_hides_a_draft_agreement_it_amends(client):
    draft = make_agreement(title="Draft original", published=False)
    agreement = make_agreement(amends=draft)
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert "Draft original" not in html


def test_it_hides_draft_organizations_on_the_detail_page(client):
    agreement = make_agreement()
    draft_org = make_organization(name="Hidden Draft Agency", published=False)
    make_party(agreement, draft_org)
    make_signatory(agreement, make_person(name="Visible Signer"), organization=draft_org)
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert "Visible Signer" in html
    assert "Hidden Draft Agency" not in html


def test_it_404s_for_an_unknown_agreement(client):
    assert client.get(reverse("agreements:detail", args=["no-such-thing"])).status_code == 404


def test_it_404s_for_a_draft_agreement(client):
    draft = make_agreement(published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_it_shows_an_editor_a_preview_of_a_draft(editor_client):
    draft = make_agreement(title="Draft for review", published=False)
    response = editor_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert response.context["preview"] is True
    assert "preview-banner" in response.content.decode()


def test_it_shows_staff_no_banner_on_a_published_agreement(staff_client):
    response = staff_client.get(make_agreement().get_absolute_url())
    assert "preview-banner" not in response.content.decode()


def detail_queries(client, n):
    agreement = make_agreement(slug=f"detail-{n}")
    for i in range(n):
        org = make_organization()
        make_party(agreement, org)
        make_signatory(agreement, organization=org, order=i + 1)
        agreement.policies.add(make_policy())
        area = make_area(agreement, number=i + 1)
        initiative = make_initiative(agreement=agreement)
        initiative.areas.add(area, through_defaults=READING)
        make_agreement(amends=agreement)
        make_agreement(implements=agreement)
        make_event(agreement)
        make_action(agreement, make_party(agreement))
        make_document(agreement)
        agreement.sources.add(make_source())
    return count_queries(client, agreement.get_absolute_url())


def test_it_pins_the_detail_query_count(client):
    # agreement (with its status's source), then parties, signatories, their organizations,
    # policies, areas, the links to their initiatives, initiatives, amended_by,
    # implemented_by, documents, events, sources, the published versions for the change log;
    # the initiatives tied to it: those carried out under it, those begun before it, the
    # rows, their links to its areas, their sources; the data version (footer and citation).
    # (amends and implements are empty, so Django skips their queries.)
    # its actions per party and the agreements signed the same day and place.
    assert detail_queries(client, 1) == 22


def test_it_keeps_the_detail_query_count_flat(client):
    # Eleven rounds make 22 agreements signed the same day: more than the page lists.
    assert SAME_DAY_LIMIT < 2 * 11
    assert detail_queries(client, 1) == detail_queries(client, 11)


# ---------- Demo data ----------

FRAMEWORK = "framework-co-creation-innovative-sustainable-growth-2022"


def test_it_shows_the_demo_framework_document(client, demo):
    response = client.get(reverse("agreements:detail", args=[FRAMEWORK]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Suriya Juangroongruangkit</a></strong>, Minister of Industry" in html
    assert "Hagiuda Koichi</a></strong>, Minister of Economy, Trade and Industry" in html
    assert "Shangri-La Hotel, Bangkok" in html
    assert "13 January 2022" in html
    areas = response.context["agreement"].areas.all()
    assert [area.number for area in areas] == [1, 2, 3]
    for area in areas:
        assert f'<span class="area-number">{area.number}.</span>' in html
        assert area.get_absolute_url() in html
    assert reverse("initiatives:detail", args=["industry-transformation-center"]) in html
    assert "Bio-Circular-Green" in html
    assert 'class="caution"' in html


def test_it_lists_and_filters_the_demo_agreements(client, demo):
    html = client.get(LIST_URL).content.decode()
    assert "Japan–Thailand Economic Partnership Agreement" in html
    response = client.get(LIST_URL, {"year": "2022", "country": "JP"})
    titles = [a.title for a in response.context["rows"]]
    assert "Framework document on co-creation for innovative and sustainable growth" in titles
    assert "Japan–Thailand Economic Partnership Agreement" not in titles


def test_it_shows_the_demo_jtepa_timeline(client, demo):
    response = client.get(reverse("agreements:detail", args=["jtepa"]))
    html = response.content.decode()
    timeline = html[html.index('class="timeline"') :]
    assert timeline.index("February 2004") < timeline.index("1 September 2005")
