import xml.etree.ElementTree as ET

import pytest

from tests import factories

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]


def test_agreement_feed_lists_published_agreements_only(client):
    factories.make_agreement(title="Framework on co-creation")
    factories.make_agreement(title="Secret draft", published=False)
    assert entries(client.get("/feeds/agreements/")) == ["Framework on co-creation"]


def test_initiative_feed_lists_published_initiatives_only(client):
    factories.make_initiative(title="Smart Monozukuri")
    factories.make_initiative(title="Unpublished plan", published=False)
    assert entries(client.get("/feeds/initiatives/")) == ["Smart Monozukuri"]


def test_figure_feed_writes_amounts_as_reported(client):
    factories.make_figure()
    factories.make_figure(published=False, period_label="Draft period")
    titles = entries(client.get("/feeds/figures/"))
    assert titles == ["Japan to Thailand, Jan–Sep 2021: 67,817 million baht"]


def test_figure_feed_links_each_figure_to_its_own_page(client):
    figure = factories.make_figure()
    root = ET.fromstring(client.get("/feeds/figures/").content)
    links = [
        link.get("href")
        for entry in root.iter(f"{ATOM}entry")
        for link in entry.iter(f"{ATOM}link")
    ]
    assert links == [f"http://testserver/investments/figures/{figure.slug}/"]
    assert client.get(links[0].removeprefix("http://testserver")).status_code == 200


def test_policy_feed_lists_published_policies_only(client):
    factories.make_policy(title="Bio-Circular-Green economy model")
    factories.make_policy(title="Draft policy", published=False)
    assert entries(client.get("/feeds/policies/")) == ["Bio-Circular-Green economy model"]


def test_people_feed_lists_the_signatories_of_published_agreements_only(client):
    agreement = factories.make_agreement(title="Framework on co-creation")
    factories.make_signatory(
        agreement, factories.make_person(name="Hagiuda Koichi"), title_at_signing="METI Minister"
    )
    draft = factories.make_agreement(published=False)
    factories.make_signatory(draft, factories.make_person(name="Not yet public"))
    response = client.get("/feeds/people/")
    assert entries(response) == ["Hagiuda Koichi"]
    entry = next(ET.fromstring(response.content).iter(f"{ATOM}entry"))
    assert entry.findtext(f"{ATOM}summary") == (
        "Signed: Framework on co-creation, as METI Minister."
    )
    # Dated by the publication of the agreement that made the person public.
    published = entry.findtext(f"{ATOM}updated")
    assert published.startswith(agreement.published_at.date().isoformat())


def test_feeds_stay_at_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(30):
        factories.make_figure()
    with django_assert_max_num_queries(3):
        client.get("/feeds/figures/")
    for _ in range(30):
        factories.make_signatory(factories.make_agreement())
    # the people and what they signed
    with django_assert_max_num_queries(2):
        client.get("/feeds/people/")


def sitemap_locations(client):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    locations = []
    for section in ET.fromstring(index.content).iter(f"{SITEMAP}loc"):
        response = client.get(section.text.replace("http://testserver", ""))
        assert response.status_code == 200
        locations += [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    return locations


def test_sitemap_lists_every_published_detail_page_and_no_draft(client):
    public = [
        factories.make_agreement(slug="public-agreement"),
        factories.make_initiative(slug="public-initiative"),
        factories.make_investment(slug="public-investment"),
        factories.make_organization(slug="public-organization"),
        factories.make_sector(slug="public-sector"),
        factories.make_figure(slug="public-figure"),
    ]
    area = factories.make_area(public[0], slug="public-area")
    drafts = [
        factories.make_agreement(slug="draft-agreement", published=False),
        factories.make_initiative(slug="draft-initiative", published=False),
        factories.make_investment(slug="draft-investment", published=False),
        factories.make_organization(slug="draft-organization", published=False),
        factories.make_figure(slug="draft-figure", published=False),
    ]
    factories.make_area(drafts[0], slug="draft-area")
    locations = sitemap_locations(client)
    for record in [*public, area]:
        assert f"http://testserver{record.get_absolute_url()}" in locations
    assert not [loc for loc in locations if "draft-" in loc]


def test_demo_sitemap_pages_all_answer(client, demo):
    for location in sitemap_locations(client):
        assert client.get(location.replace("http://testserver", "")).status_code == 200
