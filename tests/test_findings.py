"""What a careful reader found wrong with the demo record, each pinned on the demo data:
links shown as fact, undated statuses, an approximate amount shown as exact, where two
organizations are, invented timestamps, pages without sources, missing pages, totals that a
filter seemed to narrow, and a title that dropped the source's words."""

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.agreements.models import Agreement, AgreementStatus
from partnership.core.models import Source, SourceKind
from partnership.core.reported import LinkBasis
from partnership.initiatives.models import AreaLink, Initiative, InitiativeStatus
from partnership.investments.models import Investment, InvestmentFigure
from partnership.organizations.models import Person

pytestmark = pytest.mark.django_db

FRAMEWORK = "framework-co-creation-innovative-sustainable-growth-2022"
AREA_1 = "co-creation-2022-1-technologies-human-capital"
AREA_2 = "co-creation-2022-2-sme-digital-growth"
HUMAN_RESOURCE_PROJECTS = {"smart-monozukuri", "lasi", "lipe"}


def page(client, url, params=None):
    response = client.get(url, params)
    assert response.status_code == 200, url
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def section(html, heading_id):
    """The HTML of the <section> labelled by the heading with `heading_id`."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def listed(client, params):
    rows = page(client, reverse("initiatives:list"), params)
    found = re.findall(r'<th scope="row">\s*<a href="/initiatives/([^/]+)/"', rows)
    return set(found)


# 1. Smart Monozukuri is related work of the 2022 framework, not carried out under it ----------


def test_smart_monozukuri_is_related_work_of_the_framework_not_carried_out_under_it(client, demo):
    smart = Initiative.objects.get(slug="smart-monozukuri")
    assert smart.agreement.slug == FRAMEWORK
    assert smart.agreement_basis == LinkBasis.INFERRED
    assert "three years up to January 2023" in smart.agreement_reason
    assert "began before" in smart.agreement_reason

    html = page(client, reverse("agreements:detail", args=[FRAMEWORK]))
    under = section(html, "under-heading")
    related = section(html, "related-heading")
    assert "/initiatives/smart-monozukuri/" not in under
    assert "/initiatives/smart-monozukuri/" in related
    assert "editors' reading: It ran for three years up to January 2023" in related

    detail = page(client, reverse("initiatives:detail", args=["smart-monozukuri"]))
    assert "editors' reading: It ran for three years up to January 2023" in detail


def test_the_framework_page_and_the_initiatives_list_agree(client, demo):
    framework = Agreement.objects.get(slug=FRAMEWORK)
    response = client.get(framework.get_absolute_url())
    initiatives = response.context["initiatives"]
    on_page = {row.slug for row in initiatives["all"]}
    under = {row.slug for row in initiatives["under"]}
    related = {row.slug for row in initiatives["related"]}
    assert on_page == listed(client, {"agreement": FRAMEWORK})
    assert under == listed(client, {"agreement": FRAMEWORK, "relation": "under"})
    assert related == listed(client, {"agreement": FRAMEWORK, "relation": "related"})
    assert under | related == on_page
    # No source places any of the five initiatives under the framework after its signing.
    assert under == set()
    assert len(on_page) == 5


def test_the_elv_memorandum_is_stated_but_the_work_began_before_it(client, demo):
    elv = Initiative.objects.get(slug="elv-management-system")
    assert elv.agreement_basis == LinkBasis.STATED
    assert elv.agreement_source.publisher == "Nikkan Kinzoku"
    html = page(client, elv.agreement.get_absolute_url())
    related = section(html, "related-heading")
    assert "/initiatives/elv-management-system/" in related
    assert "Began before this agreement was signed (started 2018)" in related
    assert f'href="#source-{elv.agreement_source.pk}"' in related
    assert listed(client, {"agreement": elv.agreement.slug, "basis": "stated"}) == {
        "elv-management-system"
    }


# 2. Area links follow the article's grouping, each with its basis -----------------------------


def test_the_human_resource_projects_serve_area_one_as_the_article_groups_them(client, demo):
    links = AreaLink.objects.filter(initiative__slug__in=HUMAN_RESOURCE_PROJECTS)
    assert {(link.initiative.slug, link.area.slug) for link in links} == {
        (slug, AREA_1) for slug in HUMAN_RESOURCE_PROJECTS
    }
    for link in links:
        assert link.basis == LinkBasis.INFERRED
        assert "groups Smart Monozukuri, LASI and LIPE" in link.reason

    html = page(client, reverse("areas:detail", args=[AREA_1]))
    for slug in HUMAN_RESOURCE_PROJECTS:
        assert f"/initiatives/{slug}/" in html
    assert html.count('data-basis="inferred"') >= 3


def test_area_two_is_the_itc_stated_in_the_article(client, demo):
    links = AreaLink.objects.filter(area__slug=AREA_2)
    assert [link.initiative.slug for link in links] == ["industry-transformation-center"]
    link = links.get()
    assert link.basis == LinkBasis.STATED
    assert link.source.pk == 1  # the report of the signing names the ITC for area 2
    assert listed(client, {"area": AREA_2, "basis": "stated"}) == {"industry-transformation-center"}
    assert listed(client, {"area": AREA_2, "basis": "inferred"}) == set()


def test_every_link_in_the_demo_says_how_it_is_known(demo):
    for link in AreaLink.objects.all():
        assert (link.basis == LinkBasis.STATED and link.source) or link.reason.strip(), link
    for initiative in Initiative.objects.exclude(agreement=None):
        assert initiative.agreement_basis in LinkBasis.values, initiative


# 3. Statuses are dated as of the report that gave them -----------------------------------------


def test_active_statuses_are_dated_as_of_january_2022(client, demo):
    active = Initiative.objects.filter(status=InitiativeStatus.ACTIVE)
    assert active.count() == 4
    for initiative in active:
        assert (initiative.status_as_of.year, initiative.status_as_of.month) == (2022, 1)
        assert initiative.status_label == "Active (as of January 2022)"
        assert initiative.status_source.pk == 1
    smart = Initiative.objects.get(slug="smart-monozukuri")
    assert smart.status_label == "Completed (as of January 2023)"

    html = page(client, reverse("site:home"))
    assert "initiatives reported active, as of January 2022" in html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "4 initiatives reported active, as of January 2022" in text
    assert "active initiatives" not in text.lower()
    rows = page(client, reverse("initiatives:list"))
    assert "(as of January 2022)" in rows
    assert "ongoing" not in rows


def test_an_undated_status_is_as_last_reported_and_no_date_is_invented(client, demo):
    jtepa = Agreement.objects.get(slug="jtepa")
    assert jtepa.status == AgreementStatus.IN_FORCE
    assert jtepa.status_as_of is None
    assert jtepa.status_label == "In force (as last reported)"
    html = page(client, reverse("site:home"))
    assert "agreement reported in force, with no date given by the sources" in html


def test_nothing_is_reported_active_in_years_no_source_speaks_of(client, demo):
    assert listed(client, {"year": "2022"}) == {
        "elv-management-system",
        "industry-transformation-center",
        "lasi",
    }
    assert listed(client, {"year": "2026"}) == set()


# 4. Around 70 billion baht -----------------------------------------------------------------


def test_the_pledge_reads_around_70_billion_baht_everywhere(client, demo):
    pledge = InvestmentFigure.objects.get(slug="jp-th-pledge-2022-signing")
    assert pledge.amount == Decimal(70_000_000_000)
    assert pledge.amount_approximate
    assert "around 70 billion baht" in page(client, reverse("site:home"))
    assert "Around 70 billion baht" in page(client, pledge.get_absolute_url())
    assert "around 70 billion baht" in page(client, reverse("investments:figures"))
    csv = page(client, reverse("investments:figures_export", args=["csv"]))
    assert "around 70 billion baht" in csv
    data = json.loads(page(client, reverse("investments:figures_export", args=["json"])))
    row = next(r for r in data["rows"] if r["slug"] == pledge.slug)
    assert (row["amount_approximate"], row["amount_as_reported"]) == (
        True,
        "around 70 billion baht",
    )
    record = client.get(f"/api/v1/investment-figures/{pledge.pk}/").json()
    assert record["amount_approximate"] is True
    assert record["amount_as_reported"] == "around 70 billion baht"
    assert record["period_not_stated"] is True
    # The figures the Board of Investment reported are exact.
    assert not InvestmentFigure.objects.filter(amount_approximate=True).exclude(pk=pledge.pk)


# 5. Where JTECS and Green Metals (Thailand) are -------------------------------------------------


def test_a_filter_by_thailand_finds_jtecs_and_green_metals(client, demo):
    def organizations(params):
        html = page(client, reverse("organizations:list"), params)
        return set(re.findall(r'href="/organizations/([^/]+)/"', html))

    based = organizations({"country": "TH"})
    assert {"jtecs", "green-metals-thailand"} <= based
    owned = organizations({"ownership": "JP"})
    assert {"jtecs", "green-metals-thailand", "ministry-of-economy-trade-and-industry"} <= owned
    assert "thailand-ministry-of-industry" not in owned

    jtecs = page(client, reverse("organizations:detail", args=["jtecs"]))
    assert "based in Thailand (nationality of ownership: Japan)" in jtecs
    assert "What is uncertain" in jtecs


def test_the_agreements_country_filter_means_where_a_party_is_based(client, demo):
    html = page(client, reverse("agreements:list"))
    assert "Country of a party (where the party is based)" in html


# 6. Honest timestamps and a change log with its "before" -----------------------------------


def test_no_page_shows_the_invented_fixture_date(client, demo):
    for url in (
        reverse("site:home"),
        reverse("agreements:detail", args=[FRAMEWORK]),
        reverse("initiatives:detail", args=["lasi"]),
        "/feeds/agreements/",
        "/sitemap-agreements.xml",
    ):
        html = page(client, url)
        assert "1 November 2026" not in html, url
        assert "2026-11-01" not in html, url


def test_the_first_edit_after_loading_has_its_before(client, demo):
    pet = Investment.objects.get(slug="pet-resin-2021")
    pet.amount = Decimal(3_100_000_000)
    pet.stage = "approved"
    pet.save()
    lasi = Initiative.objects.get(slug="lasi")
    lasi.start_date = date(2019, 1, 1)
    lasi.save()

    html = page(client, pet.get_absolute_url())
    assert "Amount</strong>: from 3,062 million baht to 3,100 million baht" in html
    assert "Stage</strong>: from Applied for promotion to Approved" in html
    html = page(client, lasi.get_absolute_url())
    assert "Start date</strong>: from 2018 to 2019" in html
    # Below the change, how the record came: with the demo data, on the day it was loaded.
    changelog = section(html, "changelog-heading")
    loaded = timezone.localdate().strftime("%-d %B %Y")
    assert changelog.index("Start date") < changelog.index(f"Loaded from the demo data, {loaded}.")


def test_every_demo_record_says_it_was_loaded_from_the_demo_data(client, demo):
    loaded = timezone.localdate().strftime("%-d %B %Y")
    for url in (
        reverse("agreements:detail", args=[FRAMEWORK]),
        reverse("initiatives:detail", args=["smart-monozukuri"]),
        reverse("policies:detail", args=["bcg-economy-model"]),
        reverse("investments:figure", args=["jp-th-pledge-2022-signing"]),
        reverse("people:detail", args=["hagiuda-koichi"]),
    ):
        changelog = section(page(client, url), "changelog-heading")
        assert f"Loaded from the demo data, {loaded}." in changelog, url


# 7. Sources everywhere, each of a kind ---------------------------------------------------------


def test_figure_sources_say_who_published_them(client, demo):
    prnewswire = Source.objects.filter(publisher="PR Newswire")
    assert prnewswire.count() == 2
    for source in prnewswire:
        assert source.kind == SourceKind.REPOST
        assert source.release_of == "Thailand Board of Investment"
        assert source.is_home_page
    # The figures whose every source is a site's home page are marked so on their pages.
    home_page_only = [
        figure
        for figure in InvestmentFigure.objects.prefetch_related("sources")
        if figure.cites_home_pages_only
    ]
    assert {figure.slug for figure in home_page_only} == {
        "jp-th-applications-2020-jan-jun",
        "jp-th-applications-2021-jan-jun",
        "jp-th-applications-2021",
    }
    for figure in home_page_only:
        assert "Sources cited by home page only" in page(client, figure.get_absolute_url())
    # Within the figures list's sentences the kind is in lower case, the name as written.
    rows = page(client, reverse("investments:figures"))
    assert "distributor or repost of a release by Thailand Board of Investment" in rows
    assert "thailand board of investment" not in rows
    html = page(client, reverse("site:home"))
    assert "How these figures reach the record" in html
    assert "None is cited from the reporting body&#x27;s own publication" in html


def test_a_companys_blog_post_about_a_programme_it_does_not_run_is_not_official(client, demo):
    blog = Source.objects.get(url="https://global.b-en-g.com/blog/lipe-2")
    lipe = Initiative.objects.get(slug="lipe")
    assert blog in lipe.sources.all()
    # The publisher is not among those the record names as commissioning, running or
    # supplying LIPE: its post is a third party's report, not the programme's publication.
    assert "B-EN-G" not in {p.organization.short_name for p in lipe.participations.all()}
    assert blog.kind == SourceKind.NEWS
    sources = section(page(client, lipe.get_absolute_url()), "sources-heading")
    entry = sources[sources.index(blog.url) :]
    entry = entry[: entry.index("</li>")]
    assert "News report" in entry
    assert "Official publication" not in entry
    assert "third party" in entry


def test_the_organization_page_cites_the_agreement_naming_its_minister(client, demo):
    framework = Agreement.objects.get(slug=FRAMEWORK)
    html = page(client, reverse("organizations:detail", args=["thailand-ministry-of-industry"]))
    sources = section(html, "sources-heading")
    for source in framework.sources.all():
        assert f'id="source-{source.pk}"' in sources
    assert "Suriya Juangroongruangkit as Minister of Industry" in sources


# 8. Pages for policies and people --------------------------------------------------------


def test_ajif_has_a_page_with_its_date_pillars_and_aim(client, demo):
    html = page(
        client, reverse("policies:detail", args=["asia-japan-investing-for-the-future-initiative"])
    )
    assert "10 January 2022" in html
    assert "supply chains, connectivity, digital innovation and human resources" in html
    assert "50,000 highly skilled Asian professionals" in html
    assert "2021–2026" in page(client, reverse("policies:detail", args=["bcg-economy-model"]))


def test_a_signatory_has_a_page_with_titles_at_signing(client, demo):
    html = page(client, reverse("people:detail", args=["suriya-juangroongruangkit"]))
    assert html.count("Minister of Industry") >= 2
    assert FRAMEWORK in html
    assert "hr-development-industry-4-0-framework-2022" in html


def test_a_person_page_keeps_a_change_log_like_every_record_page(client, demo):
    person = Person.objects.get(slug="hagiuda-koichi")
    person.name = "HAGIUDA Koichi"
    person.save()

    changelog = section(page(client, person.get_absolute_url()), "changelog-heading")
    loaded = timezone.localdate().strftime("%-d %B %Y")
    assert "Last updated <time" in changelog
    assert "Name</strong>: from Hagiuda Koichi to HAGIUDA Koichi" in changelog
    assert changelog.index("HAGIUDA Koichi") < changelog.index(
        f"Loaded from the demo data, {loaded}."
    )


# 9. Reported totals are not narrowed by filters on single projects ------------------------


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"sector": "petrochemicals"}, "sector"),
        ({"stage": "applied"}, "stage"),
        ({"amount_min": "2000000000"}, "amount"),
        ({"q": "resin"}, "search words"),
    ],
)
def test_reported_figures_say_which_filters_do_not_narrow_them(client, demo, params, words):
    html = page(client, reverse("investments:list"), params)
    notice = html[html.index('id="figures-not-narrowed"') :]
    notice = notice[: notice.index("</p>")]
    assert f"Not narrowed by the {words} filter" in notice
    assert "Not narrowed" not in page(client, reverse("investments:list"), {"origin": "JP"})


# 10. The project title keeps the article's words ----------------------------------------------


def test_the_cell_production_project_keeps_the_articles_words(client, demo):
    project = Investment.objects.get(slug="microbial-plant-cell-production-rd-2021")
    assert "microbial cells, plant cells and cells" in project.title
    assert "microbial cells, plant cells and cells" in page(client, project.get_absolute_url())
