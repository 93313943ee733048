import re

import pytest
from django.urls import reverse

from partnership.agreements.filters import AreaFilter
from partnership.agreements.models import CooperationArea
from tests.factories import (
    READING,
    make_agreement,
    make_area,
    make_initiative,
    make_investment,
    make_sector,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

LIST_URL = reverse("areas:list")


# ---------- List page ----------


def test_it_lists_areas_grouped_by_agreement_and_numbered(client):
    framework = make_agreement(title="Framework document")
    make_area(framework, number=2, title="SME growth", slug="smes")
    make_area(framework, number=1, title="Technologies", slug="technologies")
    plan = make_agreement(title="Action plan")
    make_area(plan, number=1, title="Infrastructure", slug="infrastructure")
    response = client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "3 cooperation areas" in html
    assert html.count(framework.get_absolute_url()) == 1
    assert html.count(plan.get_absolute_url()) == 1
    first = html.index('<span class="area-number">1.</span> Technologies')
    second = html.index('<span class="area-number">2.</span> SME growth')
    assert first < second
    assert reverse("areas:detail", args=["infrastructure"]) in html


def test_it_links_sectors_and_published_initiatives(client):
    area = make_area(title="Technologies")
    area.sectors.add(make_sector(name="Smart electronics", slug="smart-electronics"))
    area.sectors.add(make_sector(name="Draft sector", published=False))
    make_initiative(acronym="LIPE", slug="lipe").areas.add(area, through_defaults=READING)
    make_initiative(title="Draft initiative", published=False).areas.add(
        area, through_defaults=READING
    )
    html = client.get(LIST_URL).content.decode()
    assert reverse("sectors:detail", args=["smart-electronics"]) in html
    assert "Draft sector" not in html
    assert reverse("initiatives:detail", args=["lipe"]) in html
    assert ">LIPE</a>" in html
    assert "Draft initiative" not in html


def test_it_leaves_out_areas_of_draft_agreements(client):
    make_area(title="Public area")
    make_area(make_agreement(published=False), title="Area of a draft")
    html = client.get(LIST_URL).content.decode()
    assert "Public area" in html
    assert "Area of a draft" not in html


def test_it_filters_areas_by_agreement_and_sector():
    framework = make_agreement(slug="framework")
    tech = make_area(framework, title="Technologies")
    make_area(framework, title="SMEs")
    make_area(title="Elsewhere")
    tech.sectors.add(make_sector(slug="robotics"))

    def titles(params):
        f = AreaFilter(params, queryset=CooperationArea.objects.published())
        return sorted(a.title for a in f.qs) if f.is_valid() else None

    assert titles({"agreement": "framework"}) == ["SMEs", "Technologies"]
    assert titles({"sector": "robotics"}) == ["Technologies"]
    assert titles({"agreement": "nope"}) is None
    assert titles({"sector": "nope"}) is None


def test_it_offers_only_published_agreements_and_sectors_as_choices():
    make_area(make_agreement(slug="public"))
    make_area(make_agreement(slug="draft", published=False))
    form = AreaFilter().form
    assert [str(v) for v, _ in form.fields["agreement"].choices if v] == ["public"]


def test_it_shows_errors_and_no_rows_for_a_bad_filter(client):
    make_area(title="Should not appear")
    response = client.get(LIST_URL, {"agreement": "no-such-agreement"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "notice-error" in html
    assert "Should not appear" not in html


def test_it_handles_bad_page_numbers(client):
    make_area()
    assert "whole number" in client.get(LIST_URL, {"page": "abc"}).content.decode()
    response = client.get(LIST_URL, {"page": "9"})
    assert response.status_code == 200
    assert "There is no page 9: this list has 1 page; showing the last one." in response.text


def list_queries(client, n):
    for _ in range(n):
        area = make_area()
        area.sectors.add(make_sector())
        make_initiative().areas.add(area, through_defaults=READING)
    return count_queries(client, LIST_URL)


def test_it_pins_the_list_query_count(client):
    # count, rows with agreements, sectors, initiatives, the links to them (with their
    # sources), the agreements' sources, agreement and sector choices, the data version
    # (footer).
    # and, the first time, each facet's counts and the cache write.
    assert list_queries(client, 1) == 18


def test_it_keeps_the_list_query_count_flat(client):
    few = list_queries(client, 1)
    CooperationArea.objects.all().delete()
    assert list_queries(client, 40) == few


# ---------- Detail page ----------


def test_it_shows_an_area_with_the_whole_trace(client):
    agreement = make_agreement(title="Framework document", slug="framework")
    area = make_area(
        agreement, number=2, title="SME growth", slug="smes", summary="Digital tools for SMEs."
    )
    area.sectors.add(make_sector(name="Smart electronics", slug="smart-electronics"))
    itc = make_initiative(title="Industry Transformation Center", slug="itc")
    itc.areas.add(area, through_defaults=READING)
    make_investment(title="Bearings plant", slug="bearings", initiative=itc)
    make_investment(title="Draft plant", slug="draft-plant", initiative=itc, published=False)
    make_initiative(title="Draft initiative", published=False).areas.add(
        area, through_defaults=READING
    )

    response = client.get(area.get_absolute_url())
    assert response.status_code == 200
    assert response.context["preview"] is False
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "SME growth" in html
    assert "Digital tools for SMEs." in html
    assert "Cooperation area 2 of" in html
    assert agreement.get_absolute_url() in html
    assert reverse("sectors:detail", args=["smart-electronics"]) in html
    assert reverse("initiatives:detail", args=["itc"]) in html
    assert reverse("investments:detail", args=["bearings"]) in html
    assert "1,000 million baht" in html
    assert "Draft plant" not in html
    assert "Draft initiative" not in html


def test_it_links_the_trace_back_from_agreement_and_initiative(client):
    agreement = make_agreement(slug="framework")
    area = make_area(agreement, slug="smes")
    initiative = make_initiative(slug="itc")
    initiative.areas.add(area, through_defaults=READING)
    area_url = area.get_absolute_url()
    assert area_url in client.get(agreement.get_absolute_url()).content.decode()
    assert area_url in client.get(initiative.get_absolute_url()).content.decode()


def test_it_404s_for_an_unknown_area(client):
    assert client.get(reverse("areas:detail", args=["no-such-area"])).status_code == 404


def test_it_404s_for_an_area_of_a_draft_agreement(client):
    area = make_area(make_agreement(published=False))
    assert client.get(area.get_absolute_url()).status_code == 404


def test_it_shows_an_editor_a_preview_of_an_area_of_a_draft(editor_client):
    area = make_area(make_agreement(published=False))
    response = editor_client.get(area.get_absolute_url())
    assert response.status_code == 200
    assert response.context["preview"] is True
    assert "preview-banner" in response.content.decode()


def detail_queries(client, n):
    area = make_area()
    for _ in range(n):
        area.sectors.add(make_sector())
        initiative = make_initiative()
        initiative.areas.add(area, through_defaults=READING)
        make_investment(initiative=initiative)
    return count_queries(client, area.get_absolute_url())


def test_it_pins_the_detail_query_count(client):
    # area with its agreement and last change, the agreement's sources, sectors, the links to
    # the initiatives (with each initiative, its status's source and the link's source), the
    # initiatives' sources, their investments, the investments' sources, the data version
    # (footer and citation).
    assert detail_queries(client, 1) == 8


def test_it_keeps_the_detail_query_count_flat(client):
    assert detail_queries(client, 1) == detail_queries(client, 50)


def test_an_area_page_lists_a_few_projects_of_each_initiative_and_links_the_rest(client):
    from partnership.agreements.selectors import PROJECTS_PER_INITIATIVE

    area = make_area()
    big, small = make_initiative(slug="big-programme"), make_initiative(slug="small-programme")
    for initiative in (big, small):
        initiative.areas.add(area, through_defaults=READING)
    count = PROJECTS_PER_INITIATIVE + 3
    for i in range(count):
        make_investment(title=f"Big plant {i:02}", initiative=big)
    make_investment(title="Small plant", initiative=small)
    html = client.get(area.get_absolute_url()).content.decode()
    listed = re.findall(r'<li><a href="/investments/[^"]+/">Big plant', html)
    assert len(listed) == PROJECTS_PER_INITIATIVE
    assert f"The {PROJECTS_PER_INITIATIVE} latest of {count} published projects" in html
    assert f'{reverse("investments:list")}?initiative=big-programme">all {count}' in html
    assert "Small plant" in html
    assert "?initiative=small-programme" not in html


# ---------- Demo data ----------


def test_it_traces_the_demo_second_area_to_its_initiatives(client, demo):
    area = CooperationArea.objects.get(
        agreement__slug__startswith="framework-co-creation", number=2
    )
    response = client.get(area.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert area.agreement.get_absolute_url() in html
    # The report of the signing names the ITC as the way area 2 is carried out: stated.
    assert reverse("initiatives:detail", args=["industry-transformation-center"]) in html
    assert 'data-basis="stated"' in html
    # Smart Monozukuri, LASI and LIPE serve area 1, as the report groups them.
    assert reverse("initiatives:detail", args=["smart-monozukuri"]) not in html


def test_it_lists_the_demo_areas(client, demo):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert "6 cooperation areas" in response.content.decode()
