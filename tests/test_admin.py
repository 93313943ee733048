"""The admin: every page answers, only for staff with rights, fast, and speaks plainly."""

import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.models import HistoricalChanges

from partnership.agreements.models import Agreement, CooperationArea, Policy
from partnership.core.admin import EstimatedCountPaginator, estimated_count
from partnership.core.models import Publication, Revision, Source
from partnership.initiatives.models import Initiative
from partnership.investments.models import Investment, InvestmentFigure
from partnership.organizations.models import Organization, Person
from partnership.sectors.models import Sector
from tests import factories as f
from tests.factories import READING
from tests.helpers import count_queries

PROJECT_APPS = ["core", "organizations", "sectors", "agreements", "initiatives", "investments"]

# Every model with its own admin pages; the parts of a record are edited inline.
REGISTERED = [
    Source,
    Organization,
    Person,
    Sector,
    Agreement,
    CooperationArea,
    Initiative,
    Investment,
    InvestmentFigure,
    Policy,
]
MODEL_IDS = [model._meta.label_lower for model in REGISTERED]


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def records(db):
    """One record of every registered model, with the parts of each record filled in."""
    organization = f.make_organization(acronym="METI")
    broad = f.make_sector(name="Automotive")
    sector = f.make_sector(name="Next-generation vehicles", parent=broad)
    source = f.make_source(title="Framework document signed")
    policy = f.make_policy(owner=organization)
    agreement = f.make_agreement(title="Framework on co-creation", short_title="Framework")
    agreement.sources.add(source)
    f.make_party(agreement, organization)
    f.make_signatory(agreement, organization=organization)
    area = f.make_area(agreement)
    area.sectors.add(sector)
    initiative = f.make_initiative(agreement=agreement, acronym="LASI")
    initiative.areas.add(area, through_defaults=READING)
    f.make_participation(initiative, organization)
    f.make_milestone(initiative)
    f.make_target(initiative)
    investment = f.make_investment(investor=organization, sector=sector, agreement=agreement)
    investment.sources.add(source)
    figure = f.make_figure(reported_by=organization)
    return {
        Source: source,
        Organization: organization,
        Person: f.make_person(),
        Sector: sector,
        Agreement: agreement,
        CooperationArea: area,
        Initiative: initiative,
        Investment: investment,
        InvestmentFigure: figure,
        Policy: policy,
    }


def management_form(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def agreement_post(**fields):
    data = {
        "title_en": "Memorandum on vehicles",
        "slug": "memorandum-on-vehicles",
        "kind": "moc",
        "status": "signed",
        "publication": Publication.DRAFT,
    }
    for prefix in ("parties", "signatories", "areas", "events", "documents"):
        data.update(management_form(prefix))
    data.update(fields)
    return data


# Registration -------------------------------------------------------------------------------


def test_it_registers_every_model_or_edits_it_inline():
    inline_models = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    for app_label in PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if issubclass(model, HistoricalChanges):
                continue  # a record's history is shown on the record's own history page
            if not model._meta.default_permissions:
                continue  # kept by the database alone (the investments' tallies)
            assert model in admin.site._registry or model in inline_models, model


def test_it_registers_the_models_listed_here():
    registered = {m for m in admin.site._registry if m._meta.app_label in PROJECT_APPS}
    assert registered == {*REGISTERED, Revision}  # and the changes waiting for review


def test_it_names_the_site(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Partnership Tracker" in response.text
    assert admin.site.site_header == "Partnership Tracker"


def test_it_keeps_full_counts_off_everywhere():
    for model in REGISTERED:
        model_admin = admin.site._registry[model]
        assert model_admin.show_full_result_count is False, model
        assert model_admin.paginator is EstimatedCountPaginator, model


# Pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_it_shows_changelist_add_and_change_to_superuser(admin_client, records, model):
    obj = records[model]
    for page in (url(model, "changelist"), url(model, "add"), url(model, "change", obj.pk)):
        response = admin_client.get(page)
        assert response.status_code == 200, page


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_it_sends_anonymous_visitors_to_login(client, records, model):
    obj = records[model]
    for page in (url(model, "changelist"), url(model, "add"), url(model, "change", obj.pk)):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("admin:login")), page


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_it_refuses_staff_without_permissions(staff_client, records, model):
    obj = records[model]
    for page in (url(model, "changelist"), url(model, "add"), url(model, "change", obj.pk)):
        assert staff_client.get(page).status_code == 403, page


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_it_searches_every_model(admin_client, records, model):
    obj = records[model]
    text = getattr(obj, "title", None) or getattr(obj, "name", None) or obj.period_label
    term = text.split()[-1]
    response = admin_client.get(url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    assert obj in response.context["cl"].result_list


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_it_lists_without_the_full_count(admin_client, records, model):
    response = admin_client.get(url(model, "changelist"), {"q": "nothing matches this"})
    cl = response.context["cl"]
    assert cl.show_full_result_count is False
    assert cl.full_result_count is None
    assert cl.result_count == 0


def test_it_shows_the_parts_of_an_agreement_inline(admin_client, records):
    agreement = records[Agreement]
    response = admin_client.get(url(Agreement, "change", agreement.pk))
    prefixes = {formset.formset.prefix for formset in response.context["inline_admin_formsets"]}
    assert prefixes == {"parties", "signatories", "areas", "events", "actions", "documents"}
    assert "METI" in response.text


def test_it_shows_the_parts_of_an_initiative_inline(admin_client, records):
    initiative = records[Initiative]
    response = admin_client.get(url(Initiative, "change", initiative.pk))
    prefixes = {formset.formset.prefix for formset in response.context["inline_admin_formsets"]}
    assert prefixes == {"area_links", "participations", "milestones", "targets"}


def test_it_prefills_slugs(admin_client, db):
    response = admin_client.get(url(Agreement, "add"))
    assert response.context["prepopulated_fields_json"]
    # The slug follows the English title, the text every record has.
    assert '"dependency_ids": ["#id_title_en"]' in response.context["prepopulated_fields_json"]


def test_it_uses_autocomplete_for_large_tables():
    expected = {
        Agreement: {"amends", "implements", "policies", "status_source", "sources"},
        Initiative: {"agreement", "agreement_source", "status_source", "sectors", "sources"},
        Investment: {"investor", "sector", "initiative", "agreement", "sources"},
        InvestmentFigure: {"reported_by", "sources"},
        Organization: {"parent", "sources"},
    }
    for model, fields in expected.items():
        assert set(admin.site._registry[model].autocomplete_fields) == fields, model


def test_it_offers_only_broad_sectors_as_parent(admin_client, records):
    industry = records[Sector]
    broad = industry.parent
    other_broad = f.make_sector(name="Food processing")
    response = admin_client.get(url(Sector, "change", broad.pk))
    choices = set(response.context["adminform"].form.fields["parent"].queryset)
    assert choices == {other_broad}  # not itself, not an industry


def test_it_explains_that_amounts_are_stored_in_full(admin_client, db):
    response = admin_client.get(url(Investment, "add"))
    help_text = response.context["adminform"].form.fields["amount"].help_text
    assert "3062000000" in help_text
    assert "3,062 million baht" in help_text


def test_it_shows_the_amount_as_the_public_reads_it(admin_client, records):
    response = admin_client.get(url(Investment, "changelist"))
    assert "1,000 million baht" in response.text


# Sources ------------------------------------------------------------------------------------


def test_it_finds_sources_through_autocomplete(admin_client, records):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "agreements",
            "model_name": "agreement",
            "field_name": "sources",
            "term": "Framework",
        },
    )
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [str(records[Source].pk)]


def test_it_offers_to_add_a_source_in_a_popup(admin_client, records):
    response = admin_client.get(url(Agreement, "change", records[Agreement].pk))
    assert 'id="add_id_sources"' in response.text
    assert url(Source, "change", records[Source].pk) in response.text  # to correct it

    popup = admin_client.get(url(Source, "add"), {"_to_field": "id", "_popup": "1"})
    assert popup.status_code == 200
    response = admin_client.post(
        url(Source, "add") + "?_to_field=id&_popup=1",
        {
            "_popup": "1",
            "_to_field": "id",
            "title_en": "BOI statistics",
            "publisher": "Board of Investment",
            "kind": "dataset",
            "published_on_precision": "day",
        },
    )
    source = Source.objects.get(title="BOI statistics")
    assert response.status_code == 200
    assert "admin/popup_response.html" in [t.name for t in response.templates]
    data = json.loads(response.context["popup_response_data"])
    assert data["value"] == str(source.pk)


# Publication --------------------------------------------------------------------------------


def fit_agreement():
    """A draft agreement with what publishing needs: a source and a party."""
    agreement = f.make_agreement(published=False)
    agreement.sources.add(f.make_source())
    f.make_party(agreement)
    return agreement


def test_it_publishes_only_the_selected_records(admin_client, db):
    chosen = [fit_agreement() for _ in range(2)]
    left = fit_agreement()
    response = admin_client.post(
        url(Agreement, "changelist"),
        {"action": "publish", "_selected_action": [a.pk for a in chosen]},
        follow=True,
    )
    assert response.status_code == 200
    for agreement in chosen:
        agreement.refresh_from_db()
        assert agreement.is_published
        assert agreement.published_at is not None
    left.refresh_from_db()
    assert not left.is_published
    assert "2 agreements published." in [str(m) for m in response.context["messages"]]


def test_it_unpublishes_only_the_selected_records(admin_client, db):
    chosen = f.make_investment()
    left = f.make_investment()
    first_published = chosen.published_at
    response = admin_client.post(
        url(Investment, "changelist"),
        {"action": "unpublish", "_selected_action": [chosen.pk]},
        follow=True,
    )
    chosen.refresh_from_db()
    left.refresh_from_db()
    assert chosen.publication == Publication.DRAFT
    assert chosen.published_at == first_published  # the first publication is remembered
    assert left.is_published
    assert "1 investment returned to draft." in [str(m) for m in response.context["messages"]]


def test_it_says_how_many_were_already_published(admin_client, db):
    draft, published = (
        f.make_initiative(published=False, summary="Trains instructors."),
        f.make_initiative(),
    )
    draft.sources.add(f.make_source())
    first_published = published.published_at
    response = admin_client.post(
        url(Initiative, "changelist"),
        {"action": "publish", "_selected_action": [draft.pk, published.pk]},
        follow=True,
    )
    published.refresh_from_db()
    assert published.published_at == first_published
    assert "1 initiative published. 1 of the selected were already published." in [
        str(m) for m in response.context["messages"]
    ]


def test_it_lets_staff_with_publish_permission_publish(client, staff_user, db):
    for codename in ("view_sector", "change_sector", "publish_sector"):
        staff_user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(staff_user)
    sector = f.make_sector(published=False)
    client.post(url(Sector, "changelist"), {"action": "publish", "_selected_action": [sector.pk]})
    sector.refresh_from_db()
    assert sector.is_published


def test_it_does_not_let_staff_without_publish_permission_publish(client, staff_user, db):
    for codename in ("view_sector", "change_sector"):
        staff_user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(staff_user)
    sector = f.make_sector(published=False)
    response = client.get(url(Sector, "changelist"))
    assert response.status_code == 200
    offered = admin.site._registry[Sector].get_actions(response.wsgi_request)
    assert "publish" not in offered
    assert "unpublish" not in offered
    client.post(url(Sector, "changelist"), {"action": "publish", "_selected_action": [sector.pk]})
    sector.refresh_from_db()
    assert not sector.is_published


def test_it_publishes_from_the_form_with_a_publication_time(admin_client, db):
    source = f.make_source()
    response = admin_client.post(
        url(Organization, "add"),
        {
            "name_en": "Board of Investment",
            "acronym": "BOI",
            "slug": "board-of-investment",
            "kind": "agency",
            "country": "TH",
            "sources": [source.pk],
            "publication": Publication.PUBLISHED,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    organization = Organization.objects.get(slug="board-of-investment")
    assert organization.is_published
    assert organization.published_at is not None


def test_it_shows_publication_state_and_last_update_in_lists(admin_client, records):
    response = admin_client.get(url(Agreement, "changelist"))
    assert "publication_state" in response.context["cl"].list_display
    assert "last_changed" in response.context["cl"].list_display
    assert "quality" in response.context["cl"].list_display
    assert "Published" in response.text


# Validation ---------------------------------------------------------------------------------


def test_it_refuses_an_agreement_in_force_before_signing(admin_client, db):
    response = admin_client.post(
        url(Agreement, "add"),
        agreement_post(signed_on="2022-01-13", in_force_on="2021-12-31"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["in_force_on"] == ["An agreement cannot come into force before it is signed."]
    assert not Agreement.objects.exists()


def test_it_refuses_an_area_number_used_twice_in_an_agreement(admin_client, db):
    areas = {
        "areas-TOTAL_FORMS": "2",
        "areas-0-number": "1",
        "areas-0-title_en": "Innovative technologies",
        "areas-0-slug": "innovative-technologies",
        "areas-1-number": "1",
        "areas-1-title_en": "Human capital",
        "areas-1-slug": "human-capital",
    }
    response = admin_client.post(url(Agreement, "add"), agreement_post(**areas))
    assert response.status_code == 200
    formset = next(
        fs.formset
        for fs in response.context["inline_admin_formsets"]
        if fs.formset.prefix == "areas"
    )
    assert formset.non_form_errors() == [
        "Two areas have the same number. Each area of an agreement needs its own number."
    ]
    assert not Agreement.objects.exists()


def test_it_refuses_an_area_number_taken_in_the_area_form(admin_client, records):
    existing = records[CooperationArea]
    response = admin_client.post(
        url(CooperationArea, "add"),
        {
            "agreement": existing.agreement.pk,
            "number": existing.number,
            "title_en": "Another area",
            "slug": "another-area",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert CooperationArea.objects.count() == 1


def test_it_refuses_a_sector_under_an_industry(admin_client, records):
    industry = records[Sector]
    response = admin_client.post(
        url(Sector, "add"),
        {
            "name_en": "Batteries",
            "slug": "batteries",
            "parent": industry.pk,
            "publication": "draft",
        },
    )
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors


def test_it_refuses_a_negative_amount(admin_client, db):
    response = admin_client.post(
        url(InvestmentFigure, "add"),
        {
            "origin_country": "JP",
            "destination_country": "TH",
            "basis": "applications",
            "amount": "-5",
            "currency": "THB",
            "amount_unit": "1000000",
            "publication": "draft",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["amount"] == ["An amount cannot be negative."]


# Speed --------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Investment, Agreement], ids=["investment", "agreement"])
def test_it_lists_with_a_fixed_number_of_queries(admin_client, db, model):
    def make():
        if model is Investment:
            organization = f.make_organization()
            return f.make_investment(investor=organization, sector=f.make_sector())
        agreement = f.make_agreement()
        f.make_party(agreement)
        f.make_party(agreement)
        return agreement

    make()
    one = count_queries(admin_client, url(model, "changelist"))
    for _ in range(29):
        make()
    thirty = count_queries(admin_client, url(model, "changelist"))
    assert thirty == one


def test_it_counts_small_or_filtered_lists_exactly(db):
    for _ in range(3):
        f.make_sector()
    assert EstimatedCountPaginator(Sector.objects.all(), 2).count == 3
    assert estimated_count(Sector.objects.filter(name__startswith="S")) is None


def test_it_uses_the_estimate_for_a_large_unfiltered_table(db, monkeypatch):
    monkeypatch.setattr(
        "partnership.core.admin.paginator.estimated_count", lambda queryset: 2_500_000
    )
    assert EstimatedCountPaginator(Investment.objects.all(), 50).count == 2_500_000


def test_it_counts_when_the_estimate_is_small(db, monkeypatch):
    f.make_investment()
    monkeypatch.setattr("partnership.core.admin.paginator.estimated_count", lambda queryset: 40)
    assert EstimatedCountPaginator(Investment.objects.all(), 50).count == 1


def test_it_reads_the_planner_estimate_once_the_table_is_analysed(db):
    for _ in range(3):
        f.make_sector()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sectors_sector")
    assert estimated_count(Sector.objects.all()) == 3
    assert estimated_count(Sector.objects.filter(name__startswith="S")) is None


def changelist_queries(admin_client, params):
    """The rows the projects' changelist lists for `params`, and the SQL of its queries of
    the project table."""
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url(Investment, "changelist"), params)
    assert response.status_code == 200
    table = 'FROM "investments_investment"'
    sql = [q["sql"] for q in queries.captured_queries if table in q["sql"]]
    return {row.slug for row in response.context["cl"].result_list}, sql


@pytest.mark.parametrize(
    ("params", "walked"),
    [
        ({"stage__exact": "approved", "origin_country": "JP"}, True),
        ({"stage__exact": "approved", "origin_country": "JP", "q": "plant"}, True),
        ({"stage__exact": "approved"}, False),  # one filter: its index
        ({"stage__exact": "approved", "origin_country": "JP", "import_batch": "b"}, False),
        ({"stage__exact": "approved", "origin_country": "JP", "o": "1"}, False),  # sorted
    ],
)
def test_two_filters_on_a_large_table_walk_it_in_key_order(
    admin_client, monkeypatch, params, walked
):
    """On SQLite, a large table filtered two broad ways is read in its key's order, not
    through the index of one filter; the rows listed are the same. A narrow filter (an
    import's rows) keeps its index."""
    for n, (stage, origin) in enumerate(
        [("approved", "JP"), ("approved", "CN"), ("applied", "JP")] * 2
    ):
        f.make_investment(
            slug=f"p{n}",
            title=f"Plant {n}",
            stage=stage,
            origin_country=origin,
            import_batch="b",
        )
    expected, _ = changelist_queries(admin_client, params)
    monkeypatch.setattr(
        "partnership.core.admin.paginator.estimated_count", lambda queryset: 2_500_000
    )
    found, sql = changelist_queries(admin_client, params)
    assert found == expected
    assert found >= {"p0", "p3"}
    in_key_order = [q for q in sql if "NOT INDEXED" in q]
    if connection.vendor != "sqlite" or not walked:
        assert in_key_order == []
        return
    filtered = [q for q in sql if '"origin_country" = ' in q]
    assert filtered and in_key_order == filtered
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + in_key_order[0].replace("%", "%%"))
        plan = [str(row[-1]) for row in cursor.fetchall()]
    read = [step for step in plan if step.split()[1:2] == ["investments_investment"]]
    assert read == ["SCAN investments_investment"], plan  # no index of it


@pytest.mark.parametrize(
    ("model", "field"),
    [(Agreement, "signed_on"), (Investment, "period_start"), (InvestmentFigure, "period_end")],
)
def test_it_drills_down_by_date(admin_client, records, model, field):
    # The projects' list offers the years alone, from the date's index (see the next test).
    model_admin = admin.site._registry[model]
    assert model_admin.date_hierarchy == field or any(
        getattr(f, "parameter_name", "") == f"{field}__year" for f in model_admin.list_filter
    )
    obj = records[model]
    year = getattr(obj, field).year
    response = admin_client.get(url(model, "changelist"), {f"{field}__year": year})
    assert obj in response.context["cl"].result_list
    response = admin_client.get(url(model, "changelist"), {f"{field}__year": year + 1})
    assert obj not in response.context["cl"].result_list


def test_it_offers_the_countries_in_use(admin_client, records):
    response = admin_client.get(url(Investment, "changelist"))
    spec = next(s for s in response.context["cl"].filter_specs if s.field_path == "origin_country")
    assert [code for code, _ in spec.lookup_choices(response.context["cl"])] == ["JP"]


def test_it_offers_every_country_on_a_very_large_table(admin_client, records, monkeypatch):
    monkeypatch.setattr(
        "partnership.core.admin.paginator.estimated_count", lambda queryset: 2_500_000
    )
    response = admin_client.get(url(Investment, "changelist"))
    spec = next(s for s in response.context["cl"].filter_specs if s.field_path == "origin_country")
    assert len(list(spec.lookup_choices(response.context["cl"]))) > 200
