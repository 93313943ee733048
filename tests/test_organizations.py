"""The organizations directory and detail pages."""

import pytest
from django.urls import reverse

from partnership.organizations.filters import OrganizationFilter
from partnership.organizations.models import Organization, OrganizationKind
from tests.factories import (
    make_agreement,
    make_figure,
    make_initiative,
    make_investment,
    make_organization,
    make_participation,
    make_party,
    make_person,
    make_policy,
    make_sector,
    make_signatory,
)

pytestmark = pytest.mark.django_db

LIST = reverse("organizations:list")


def detail_url(organization):
    return reverse("organizations:detail", args=[organization.slug])


# The directory


def test_it_lists_published_organizations(client):
    ministry = make_organization(name="Ministry of Industry", acronym="MOI", country="TH")
    make_organization(name="Department of Industrial Promotion", parent=ministry)
    make_organization(name="Secret Draft Body", published=False)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ministry of Industry" in html
    assert "Department of Industrial Promotion" in html
    assert "Secret Draft Body" not in html
    assert "2 organizations" in html
    assert f'href="{ministry.get_absolute_url()}">MOI</a>' in html


def test_it_hides_a_draft_parent_in_the_directory(client):
    parent = make_organization(name="Hidden Parent", published=False)
    make_organization(name="Visible Child", parent=parent)
    html = client.get(LIST).content.decode()
    assert "Visible Child" in html
    assert "Hidden Parent" not in html


def test_it_filters_by_name_acronym_country_and_kind(client):
    make_organization(name="Ministry of Economy, Trade and Industry", acronym="METI", country="JP")
    make_organization(name="Denso", country="JP", kind=OrganizationKind.COMPANY)
    make_organization(name="Board of Investment", acronym="BOI", country="TH")

    def names(params):
        return [org.name for org in client.get(LIST, params).context["rows"]]

    assert names({"q": "meti"}) == ["Ministry of Economy, Trade and Industry"]
    assert names({"q": "investment"}) == ["Board of Investment"]
    assert names({"country": "JP"}) == ["Denso", "Ministry of Economy, Trade and Industry"]
    assert names({"kind": "company"}) == ["Denso"]
    assert names({"country": "JP", "kind": "ministry"}) == [
        "Ministry of Economy, Trade and Industry"
    ]


@pytest.mark.parametrize(
    "params", [{"country": "ZZ"}, {"country": "FR"}, {"kind": "spaceship"}, {"q": "x" * 201}]
)
def test_it_shows_errors_and_no_rows_for_bad_filter_values(client, params):
    make_organization(name="Board of Investment", country="TH")
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert list(response.context["rows"]) == []
    html = response.content.decode()
    assert "Some filter values could not be used" in html
    assert "Board of Investment" not in html


def test_the_filterset_offers_only_countries_in_use():
    make_organization(country="TH")
    make_organization(country="JP")
    make_organization(country="FR", published=False)
    filterset = OrganizationFilter(queryset=Organization.objects.published())
    codes = [code for code, _ in filterset.form.fields["country"].choices if code]
    assert codes == ["JP", "TH"]


def test_it_shows_the_first_page_with_a_message_for_page_abc(client):
    make_organization(name="Board of Investment")
    response = client.get(LIST, {"page": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The page number must be a whole number" in html
    assert "Board of Investment" in html


@pytest.mark.parametrize("page", ["0", "-1", "99999"])
def test_a_page_out_of_range_shows_a_page_with_a_message(client, page):
    make_organization(name="The only body")
    response = client.get(LIST, {"page": page})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The only body" in html
    assert "There is no page 99999" in html if page == "99999" else "numbered from 1" in html


def test_it_paginates_and_keeps_the_filters_in_page_links(client, settings):
    settings.PAGE_SIZE = 2
    for i in range(5):
        make_organization(name=f"Japanese body {i}", country="JP")
    response = client.get(LIST, {"country": "JP"})
    html = response.content.decode()
    assert "Page 1 of 3" in html
    assert "?country=JP&amp;page=2" in html
    assert len(response.context["rows"]) == 2


@pytest.mark.parametrize("n", [1, 50])
def test_it_pins_the_directory_query_count(client, django_assert_num_queries, n):
    parent = make_organization()
    for _ in range(n):
        make_organization(parent=parent)
    # count, rows, parents, their sources, the facets' data version and cache read, the data
    # version (footer); the first time also the three facets' counts and the cache write
    # (count, savepoint, lookup, insert, release)
    with django_assert_num_queries(15):
        assert client.get(LIST).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(LIST).status_code == 200
    # with values in use, also the country choices to check them against
    with django_assert_num_queries(16):
        assert client.get(LIST, {"country": "TH", "kind": "ministry"}).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(LIST, {"country": "TH", "kind": "ministry"}).status_code == 200


# The detail page


def organization_with_everything(n=1):
    parent = make_organization(name="Parent Ministry")
    organization = make_organization(name="Ministry of Industry", acronym="MOI", parent=parent)
    sector = make_sector(name="Petrochemicals")
    for i in range(n):
        agreement = make_agreement(title=f"Party agreement {i}")
        make_party(agreement, organization)
        signed = make_agreement(title=f"Signed agreement {i}")
        make_signatory(signed, make_person(name=f"Minister {i}"), organization=organization)
        initiative = make_initiative(title=f"Initiative taken part in {i}")
        make_participation(initiative, organization, role="implementing", note="runs it")
        make_investment(title=f"Investment made {i}", investor=organization, sector=sector)
        make_figure(reported_by=organization, period_label=f"Reported period {i}")
        make_policy(title=f"Owned policy {i}", owner=organization)
        make_organization(name=f"Child body {i}", parent=organization)
    # Drafts everywhere: none may show.
    draft_agreement = make_agreement(title="Draft party agreement", published=False)
    make_party(draft_agreement, organization)
    make_signatory(draft_agreement, organization=organization)
    make_participation(make_initiative(title="Draft initiative", published=False), organization)
    make_investment(title="Draft investment", investor=organization, published=False)
    make_figure(reported_by=organization, period_label="Draft period", published=False)
    make_policy(title="Draft policy", owner=organization, published=False)
    make_organization(name="Draft child", parent=organization, published=False)
    return organization


def test_it_shows_everything_the_organization_takes_part_in(client):
    organization = organization_with_everything()
    response = client.get(detail_url(organization))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Ministry of Industry" in html
    for text in (
        "Parent Ministry",
        "Party agreement 0",
        "Signed agreement 0",
        "Minister 0</a>, Minister",
        "Initiative taken part in 0",
        "Implementing",
        "runs it",
        "Investment made 0",
        "1,000 million baht",
        "Petrochemicals",
        "Reported period 0",
        "67,817 million baht",
        "Owned policy 0",
        "Child body 0",
    ):
        assert text in html, text
    assert "Draft" not in html


def test_it_hides_a_draft_parent_on_the_detail_page(client):
    parent = make_organization(name="Hidden Parent", published=False)
    organization = make_organization(parent=parent)
    html = client.get(detail_url(organization)).content.decode()
    assert "Hidden Parent" not in html


def test_it_says_when_an_organization_takes_part_in_nothing(client):
    organization = make_organization()
    html = client.get(detail_url(organization)).content.decode()
    assert "No published agreement, initiative, investment or policy" in html


def test_it_404s_for_an_unknown_slug(client):
    assert client.get(reverse("organizations:detail", args=["nobody"])).status_code == 404


def test_it_404s_for_a_draft(client):
    organization = make_organization(published=False)
    assert client.get(detail_url(organization)).status_code == 404


def test_it_shows_an_editor_a_marked_preview_of_a_draft(editor_client):
    organization = make_organization(name="Draft Ministry", published=False)
    response = editor_client.get(detail_url(organization))
    assert response.status_code == 200
    assert response.context["preview"] is True
    html = response.content.decode()
    assert 'class="preview-banner"' in html
    assert "Draft Ministry" in html


def test_it_does_not_mark_a_published_page_as_preview(staff_client):
    organization = make_organization()
    response = staff_client.get(detail_url(organization))
    assert response.context["preview"] is False
    assert 'class="preview-banner"' not in response.content.decode()


@pytest.mark.parametrize("n", [1, 50])
def test_it_pins_the_detail_query_count(client, django_assert_num_queries, n):
    organization = organization_with_everything(n)
    # organization, parent, children, parties, their agreements' sources, signatures, their
    # agreements' sources, participations, their initiatives' agreements, area links and
    # sources, its latest projects, their sectors and sources, how many it has, figures,
    # their sources, policies, their sources, the organization's sources, the published
    # versions for the change log, the data version (footer and citation)
    with django_assert_num_queries(21):
        assert client.get(detail_url(organization)).status_code == 200


def test_it_shows_the_demo_ministry_of_industry(client, demo):
    response = client.get(reverse("organizations:detail", args=["thailand-ministry-of-industry"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Framework document on co-creation for innovative and sustainable growth" in html
    assert "Department of Industrial Promotion" in html


def test_it_lists_the_demo_organizations(client, demo):
    response = client.get(LIST, {"country": "JP"})
    html = response.content.decode()
    assert "Ministry of Economy, Trade and Industry" in html
    assert "Industrial Estate Authority of Thailand" not in html


# A person's page


@pytest.mark.parametrize("n", [1, 20])
def test_it_pins_the_person_page_query_count(client, django_assert_num_queries, n):
    person = make_person(name="Suriya Juangroongruangkit")
    for i in range(n):
        make_signatory(make_agreement(title=f"Signed agreement {i}"), person)
    # the person (with the date of their last change), their signatures with agreements and
    # organizations, those agreements' sources, the published versions for the change log,
    # the data version (footer and citation)
    with django_assert_num_queries(5):
        response = client.get(reverse("people:detail", args=[person.slug]))
    html = response.content.decode()
    assert "Changes to this page" in html
    assert f"Signed {n} agreement" in html


def test_a_large_investors_page_lists_its_latest_projects_and_links_the_rest(client):
    from datetime import date

    from partnership.organizations import views
    from tests.factories import make_investment

    investor = make_organization(slug="big-investor")
    count = views.PROJECTS_ON_ORGANIZATION_PAGE + 3
    for i in range(count):
        year = 2000 + i
        make_investment(
            title=f"Plant {i:02}",
            investor=investor,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
        )
    make_investment(title="Another investor's plant")
    html = client.get(detail_url(investor)).content.decode()
    shown = views.PROJECTS_ON_ORGANIZATION_PAGE
    assert f"The {shown} latest of {count} published projects" in html
    assert f'href="{reverse("investments:list")}?investor=big-investor">all {count}' in html
    assert f"Plant {count - 1:02}" in html  # the newest
    assert "Plant 00" not in html  # the oldest, in the investments list only
    assert "Another investor" not in html
    listed = client.get(reverse("investments:list"), {"investor": "big-investor"})
    assert listed.context["page_obj"].paginator.count == count


def test_a_small_investors_page_lists_all_its_projects_without_a_note(client):
    from tests.factories import make_investment

    investor = make_organization()
    make_investment(title="Only plant", investor=investor)
    html = client.get(detail_url(investor)).content.decode()
    assert "Only plant" in html
    assert "latest of" not in html
