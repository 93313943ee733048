from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from partnership.core.dates import DatePrecision
from partnership.initiatives.filters import InitiativeFilter
from partnership.initiatives.models import Initiative, InitiativeStatus
from tests.factories import (
    READING,
    make_agreement,
    make_area,
    make_initiative,
    make_investment,
    make_milestone,
    make_organization,
    make_participation,
    make_sector,
    make_source,
    make_target,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

LIST_URL = reverse("initiatives:list")


def filtered(params):
    """Titles the initiatives FilterSet selects, or None when the values are invalid."""
    f = InitiativeFilter(params, queryset=Initiative.objects.published())
    if not f.is_valid():
        return None
    return sorted(i.title for i in f.qs)


# ---------- List page ----------


def test_it_lists_published_initiatives(client):
    agreement = make_agreement(title="Framework document", short_title="Framework")
    make_initiative(
        title="Smart Monozukuri",
        summary="IoT instructors for SMEs.",
        agreement=agreement,
        start_date=date(2019, 1, 1),
        start_date_precision=DatePrecision.YEAR,
    )
    response = client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Smart Monozukuri" in html
    assert agreement.get_absolute_url() in html
    assert "badge-status-active" in html
    # No end reported, and no source dates the status: nothing says it is still running.
    assert ">2019</time> – no end reported" in html
    assert "(as last reported)" in html
    assert "ongoing" not in html


def test_it_leaves_drafts_out_of_the_list(client):
    make_initiative(title="Public initiative")
    make_initiative(title="Draft initiative", published=False)
    make_initiative(
        title="Under a draft", agreement=make_agreement(title="Draft agr", published=False)
    )
    html = client.get(LIST_URL).content.decode()
    assert "Public initiative" in html
    assert "Draft initiative" not in html
    assert "Under a draft" in html
    assert "Draft agr" not in html


def test_it_links_the_areas_each_initiative_serves(client):
    area = make_area(number=2, title="SME growth", slug="smes")
    hidden = make_area(make_agreement(published=False), title="Area of a draft agreement")
    make_initiative().areas.add(area, hidden, through_defaults=READING)
    html = client.get(LIST_URL).content.decode()
    assert reverse("areas:detail", args=["smes"]) in html
    assert "Area 2: SME growth" in html
    assert "Area of a draft agreement" not in html


def test_it_shows_form_errors_and_no_rows_for_bad_filter_values(client):
    make_initiative(title="Should not appear")
    for params in (
        {"area": "no-such-area"},
        {"agreement": "no-such-agreement"},
        {"organization": "nobody"},
        {"sector": "nothing"},
        {"status": "dormant"},
        {"year": "abc"},
        {"year": "99999"},
        {"o": "publication"},
    ):
        response = client.get(LIST_URL, params)
        assert response.status_code == 200, params
        html = response.content.decode()
        assert "notice-error" in html, params
        assert "Should not appear" not in html, params


def test_it_handles_bad_page_numbers(client):
    make_initiative(title="Only one")
    response = client.get(LIST_URL, {"page": "abc"})
    assert "whole number" in response.content.decode()
    assert "Only one" in response.content.decode()
    response = client.get(LIST_URL, {"page": "2"})
    assert response.status_code == 200
    assert "There is no page 2: this list has 1 page; showing the last one." in (
        response.content.decode()
    )


def test_it_keeps_filters_in_a_shareable_url(client):
    area = make_area(slug="smes")
    make_initiative(title="Active in area", status=InitiativeStatus.ACTIVE).areas.add(
        area, through_defaults=READING
    )
    make_initiative(title="Done in area", status=InitiativeStatus.COMPLETED).areas.add(
        area, through_defaults=READING
    )
    html = client.get(LIST_URL + "?area=smes&status=active").content.decode()
    assert "Active in area" in html
    assert "Done in area" not in html


def list_queries(client, n):
    for _ in range(n):
        initiative = make_initiative(agreement=make_agreement())
        initiative.areas.add(make_area(), make_area(), through_defaults=READING)
    return count_queries(client, LIST_URL)


def test_it_pins_the_list_query_count(client):
    # count, rows (with the sources of their ties and statuses), their agreements, their
    # area links, their sources, then area, agreement, organization and sector choices, the
    # data version (footer).
    # and, the first time, each facet's counts and the cache write.
    assert list_queries(client, 1) == 22


def test_it_keeps_the_list_query_count_flat(client):
    few = list_queries(client, 1)
    Initiative.objects.all().delete()
    assert list_queries(client, 24) == few


# ---------- FilterSet ----------


def test_it_filters_by_text():
    make_initiative(title="Lean IoT Plant Management and Execution", acronym="LIPE")
    make_initiative(title="Other", summary="Trains system integrators")
    assert filtered({"q": "lipe"}) == ["Lean IoT Plant Management and Execution"]
    assert filtered({"q": "INTEGRATORS"}) == ["Other"]


def test_it_filters_by_status():
    make_initiative(title="Active", status=InitiativeStatus.ACTIVE)
    make_initiative(title="Completed", status=InitiativeStatus.COMPLETED)
    assert filtered({"status": "completed"}) == ["Completed"]
    assert filtered({"status": "dormant"}) is None


def test_it_filters_by_area_slug():
    area = make_area(slug="smes")
    other = make_area(slug="supply-chain")
    serving = make_initiative(title="Serving")
    serving.areas.add(area, other, through_defaults=READING)
    make_initiative(title="Not serving").areas.add(other, through_defaults=READING)
    assert filtered({"area": "smes"}) == ["Serving"]
    assert filtered({"area": "supply-chain"}) == ["Not serving", "Serving"]


def test_it_offers_only_published_areas_as_choices():
    make_initiative().areas.add(make_area(slug="public-area"), through_defaults=READING)
    make_initiative().areas.add(
        make_area(make_agreement(published=False), slug="draft-area"), through_defaults=READING
    )
    choices = InitiativeFilter().form.fields["area"].choices
    assert [str(v) for v, _ in choices if v] == ["public-area"]
    assert filtered({"area": "draft-area"}) is None


def test_it_labels_area_choices_with_their_agreement():
    agreement = make_agreement(short_title="Framework")
    make_initiative().areas.add(
        make_area(agreement, number=2, title="SMEs", slug="smes"), through_defaults=READING
    )
    labels = [label for v, label in InitiativeFilter().form.fields["area"].choices if v]
    assert labels == ["Framework – 2. SMEs"]


def test_it_filters_by_agreement_directly_or_through_areas_without_duplicates():
    framework = make_agreement(slug="framework")
    a1 = make_area(framework)
    a2 = make_area(framework)
    direct = make_initiative(title="Direct", agreement=framework)
    direct.areas.add(a1, a2, through_defaults=READING)
    make_initiative(title="Through area").areas.add(a1, a2, through_defaults=READING)
    make_initiative(title="Elsewhere", agreement=make_agreement())
    assert filtered({"agreement": "framework"}) == ["Direct", "Through area"]
    draft = make_agreement(slug="draft-agreement", published=False)
    make_initiative(agreement=draft)
    assert filtered({"agreement": "draft-agreement"}) is None


def test_it_filters_by_participating_organization():
    denso = make_organization(slug="denso")
    lasi = make_initiative(title="LASI")
    make_participation(lasi, denso, role="lead")
    make_participation(lasi, denso, role="funding")
    make_initiative(title="Other")
    assert filtered({"organization": "denso"}) == ["LASI"]
    hidden = make_organization(slug="hidden", published=False)
    make_participation(make_initiative(), hidden)
    assert filtered({"organization": "hidden"}) is None


def test_it_filters_by_sector():
    robotics = make_sector(slug="robotics")
    make_initiative(title="Robots").sectors.add(robotics)
    make_initiative(title="Other")
    assert filtered({"sector": "robotics"}) == ["Robots"]
    make_initiative().sectors.add(make_sector(slug="draft-sector", published=False))
    assert filtered({"sector": "draft-sector"}) is None


def test_it_filters_by_year_active_as_far_as_the_sources_tell():
    make_initiative(title="2018–2021", start_date=date(2018, 4, 1), end_date=date(2021, 3, 31))
    make_initiative(
        title="2020, active as of 2022",
        start_date=date(2020, 1, 1),
        status_as_of=date(2022, 1, 1),
        status_as_of_precision=DatePrecision.MONTH,
        status_source=make_source(),
    )
    make_initiative(title="2019, status undated", start_date=date(2019, 1, 1))
    make_initiative(title="Undated")
    assert filtered({"year": "2018"}) == ["2018–2021"]
    assert filtered({"year": "2019"}) == ["2018–2021", "2019, status undated"]
    assert filtered({"year": "2021"}) == ["2018–2021", "2020, active as of 2022"]
    assert filtered({"year": "2022"}) == ["2020, active as of 2022"]
    # No source says anything of 2030: nothing is taken as still running.
    assert filtered({"year": "2030"}) == []
    assert filtered({"year": "2017"}) == []
    assert filtered({"year": "abc"}) is None
    assert filtered({"year": "99999"}) is None


def test_it_orders_by_whitelisted_fields_only():
    make_initiative(title="B", start_date=date(2018, 1, 1))
    make_initiative(title="A", start_date=date(2020, 1, 1))
    make_initiative(title="C")

    def order(o):
        f = InitiativeFilter({"o": o}, queryset=Initiative.objects.published())
        assert f.is_valid(), f.errors
        return [i.title for i in f.qs]

    assert order("title") == ["A", "B", "C"]
    assert order("-title") == ["C", "B", "A"]
    assert order("start_date") == ["B", "A", "C"]
    assert order("-start_date") == ["A", "B", "C"]
    for bad in ("publication", "uncertainty", "-pk"):
        assert filtered({"o": bad}) is None, bad


# ---------- Detail page ----------


def full_initiative():
    agreement = make_agreement(title="Framework document", slug="framework")
    area = make_area(agreement, number=1, title="Technologies", slug="technologies")
    initiative = make_initiative(
        title="Smart Monozukuri",
        slug="smart-monozukuri",
        summary="Coaching SMEs in smart manufacturing.",
        description="A support team trains instructors.",
        status=InitiativeStatus.COMPLETED,
        start_date=date(2019, 1, 1),
        start_date_precision=DatePrecision.YEAR,
        end_date=date(2022, 12, 1),
        end_date_precision=DatePrecision.MONTH,
        agreement=agreement,
        uncertainty="The start year is not reported.",
    )
    initiative.areas.add(area, through_defaults=READING)
    initiative.areas.add(
        make_area(make_agreement(published=False), title="Hidden area"), through_defaults=READING
    )
    make_participation(
        initiative,
        make_organization(name="JTECS", slug="jtecs"),
        role="lead",
        note="Runs the support team",
    )
    make_participation(initiative, make_organization(name="DIPROM", slug="diprom"), role="partner")
    make_participation(
        initiative, make_organization(name="Hidden org", published=False), role="funding"
    )
    make_milestone(initiative, date=date(2023, 1, 26), title="Results reported to MOI")
    make_milestone(
        initiative,
        date=date(2020, 1, 1),
        date_precision=DatePrecision.YEAR,
        title="Training begins",
    )
    make_target(
        initiative,
        label="IoT instructors trained",
        target_value=Decimal(50),
        reached_value=Decimal(50),
        unit="people",
    )
    make_target(initiative, label="SMEs coached", target_value=None, reached_value=None)
    initiative.sectors.add(make_sector(name="Smart electronics", slug="smart-electronics"))
    initiative.sectors.add(make_sector(name="Draft sector", published=False))
    make_investment(title="Bearings plant", slug="bearings", initiative=initiative)
    make_investment(title="Draft plant", initiative=initiative, published=False)
    initiative.sources.add(make_source(title="Project report", publisher="JTECS"))
    return initiative


def test_it_shows_an_initiative(client):
    initiative = full_initiative()
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 200
    assert response.context["preview"] is False
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Coaching SMEs in smart manufacturing." in html
    assert "A support team trains instructors." in html
    assert "badge-status-completed" in html
    assert ">2019</time>" in html
    assert ">December 2022</time>" in html
    # Agreement and areas served.
    assert reverse("agreements:detail", args=["framework"]) in html
    assert reverse("areas:detail", args=["technologies"]) in html
    assert "Hidden area" not in html
    # Participants with roles.
    assert reverse("organizations:detail", args=["jtecs"]) in html
    assert "Runs the support team" in html
    assert "Partner" in html
    assert "Hidden org" not in html
    # Targets: values, unit, and "not reported" for an empty reached value.
    assert "IoT instructors trained" in html
    assert '<td class="num">50</td>' in html
    assert "people" in html
    assert "not reported" in html
    # Sectors, investment, uncertainty, sources.
    assert reverse("sectors:detail", args=["smart-electronics"]) in html
    assert "Draft sector" not in html
    assert reverse("investments:detail", args=["bearings"]) in html
    assert "Draft plant" not in html
    assert 'class="caution"' in html
    assert "The start year is not reported." in html
    assert "Project report" in html
    assert '<sup class="ref">' in html


def test_it_lists_milestones_in_date_order(client):
    html = client.get(full_initiative().get_absolute_url()).content.decode()
    assert html.index("Training begins") < html.index("Results reported to MOI")
    assert ">26 January 2023</time>" in html


def test_it_shows_initiatives_on_their_agreement_page(client):
    initiative = full_initiative()
    html = client.get(initiative.agreement.get_absolute_url()).content.decode()
    assert initiative.get_absolute_url() in html


def test_it_hides_a_draft_agreement_on_the_detail_page(client):
    initiative = make_initiative(
        agreement=make_agreement(title="Secret agreement", published=False)
    )
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "Secret agreement" not in html


def test_it_404s_for_an_unknown_initiative(client):
    assert client.get(reverse("initiatives:detail", args=["nothing"])).status_code == 404


def test_it_404s_for_a_draft_initiative(client):
    assert client.get(make_initiative(published=False).get_absolute_url()).status_code == 404


def test_it_shows_an_editor_a_preview_of_a_draft(editor_client):
    response = editor_client.get(make_initiative(published=False).get_absolute_url())
    assert response.status_code == 200
    assert response.context["preview"] is True
    assert "preview-banner" in response.content.decode()


def detail_queries(client, n):
    initiative = make_initiative(agreement=make_agreement())
    for _ in range(n):
        initiative.areas.add(make_area(), through_defaults=READING)
        make_participation(initiative)
        make_milestone(initiative)
        make_target(initiative, reached_value=Decimal(3))
        initiative.sectors.add(make_sector())
        make_investment(initiative=initiative)
        initiative.sources.add(make_source())
    return count_queries(client, initiative.get_absolute_url())


def test_it_pins_the_detail_query_count(client):
    # initiative (with the sources of its tie and status), agreement, area links,
    # participations, sectors, milestones, targets, sources, its latest projects, their
    # sources, how many it has, the published versions for the change log, the data version
    # (footer and citation).
    assert detail_queries(client, 1) == 13


def test_it_keeps_the_detail_query_count_flat(client):
    assert detail_queries(client, 1) == detail_queries(client, 50)


def test_a_large_initiatives_page_lists_its_latest_projects_and_links_the_rest(client):
    from partnership.initiatives import views

    initiative = make_initiative(slug="big-programme")
    count = views.PROJECTS_ON_INITIATIVE_PAGE + 2
    for i in range(count):
        make_investment(
            title=f"Plant {i:02}",
            initiative=initiative,
            period_start=date(2000 + i, 1, 1),
            period_end=date(2000 + i, 12, 31),
        )
    make_investment(title="Draft plant", initiative=initiative, published=False)
    make_investment(title="Another programme's plant")
    html = client.get(initiative.get_absolute_url()).content.decode()
    shown = views.PROJECTS_ON_INITIATIVE_PAGE
    assert f"The {shown} latest of {count} published projects" in html
    assert f'href="{reverse("investments:list")}?initiative=big-programme">all {count}' in html
    assert f"Plant {count - 1:02}" in html  # the newest
    assert "Plant 00" not in html  # the oldest, in the investments list only
    assert "Draft plant" not in html
    listed = client.get(reverse("investments:list"), {"initiative": "big-programme"})
    assert listed.context["page_obj"].paginator.count == count
    assert "Another programme" not in listed.content.decode()
    chip = {"label": "Initiative", "value": str(initiative), "url": reverse("investments:list")}
    assert listed.context["chips"] == [chip]


def test_an_empty_initiative_means_none_in_the_list_and_the_api(client):
    make_investment(title="Bearings plant")
    listed = client.get(reverse("investments:list"), {"initiative": ""})
    assert listed.context["page_obj"].paginator.count == 1
    api = client.get(reverse("api:investment-list", kwargs={"version": "v1"}), {"initiative": ""})
    assert api.status_code == 200
    assert api.json()["count"] == 1


def test_the_investments_list_refuses_an_unknown_or_draft_initiative(client):
    make_initiative(slug="draft-programme", published=False)
    for slug in ("no-such-programme", "draft-programme"):
        response = client.get(reverse("investments:list"), {"initiative": slug})
        assert response.status_code == 200
        assert response.context["filter"].errors["initiative"]


def test_a_small_initiatives_page_lists_all_its_projects_without_a_note(client):
    initiative = make_initiative()
    make_investment(title="Only plant", initiative=initiative)
    html = client.get(initiative.get_absolute_url()).content.decode()
    assert "Only plant" in html
    assert "latest of" not in html


# ---------- Demo data ----------


def test_it_shows_the_demo_smart_monozukuri_results(client, demo):
    response = client.get(reverse("initiatives:detail", args=["smart-monozukuri"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "IoT instructors trained" in html
    assert '<td class="num">50</td>' in html
    assert ">26 January 2023</time>" in html
    assert html.count("not reported") >= 2
    assert 'class="caution"' in html


def test_it_filters_the_demo_initiatives_by_area_and_status(client, demo):
    response = client.get(LIST_URL, {"area": "co-creation-2022-2-sme-digital-growth"})
    titles = {i.title for i in response.context["rows"]}
    assert "Industry Transformation Center" in titles
    assert "Lean IoT Plant Management and Execution" not in titles
