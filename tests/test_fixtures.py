"""The demo fixtures: they load, every record is valid, and the facts they carry are there."""

import json
import re
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from partnership.agreements.models import Agreement, AgreementStatus, CooperationArea, Policy
from partnership.core.currencies import AmountUnit, format_amount
from partnership.core.dates import DatePrecision
from partnership.core.demo import change_reason, load_demo
from partnership.core.models import Publishable, Source
from partnership.core.records import count_records, record_models
from partnership.initiatives.models import Initiative, InitiativeStatus, ParticipantRole
from partnership.investments.models import Basis, Investment, InvestmentFigure, Stage
from partnership.organizations.models import Organization, Person
from partnership.sectors.models import Sector
from tests.factories import make_organization

pytestmark = pytest.mark.django_db

FRAMEWORK_SLUG = "framework-co-creation-innovative-sustainable-growth-2022"
INITIATIVE_SLUGS = {
    "elv-management-system",
    "industry-transformation-center",
    "lasi",
    "lipe",
    "smart-monozukuri",
}
# Every model whose records cite their sources, as the publication checks require.
CITING_MODELS = [
    model
    for model in record_models()
    if any(field.name == "sources" for field in model._meta.get_fields())
]


record_count = count_records


def demo_objects():
    """The objects fixtures/demo.json holds."""
    return json.loads((Path(settings.BASE_DIR) / "fixtures" / "demo.json").read_text())


def test_it_loads_into_an_empty_database():
    assert record_count() == 0
    load_demo()
    assert record_count() == len(demo_objects())


def test_the_fixture_holds_facts_and_no_timestamps():
    """The times a record was created, updated and published are the time it was loaded:
    the fixture invents none."""
    for obj in demo_objects():
        assert not {"created_at", "updated_at", "published_at"} & set(obj["fields"]), obj


def test_citing_models_are_the_ones_the_design_names():
    assert set(CITING_MODELS) == {
        Agreement,
        Policy,
        Initiative,
        Investment,
        InvestmentFigure,
        Organization,
    }


def test_every_record_passes_full_clean(demo):
    checked = 0
    for model in record_models():
        for obj in model.objects.all():
            obj.full_clean()
            checked += 1
    assert checked == record_count()


# The one record kept as a draft: no source in the record says anything about it.
UNSOURCED_DRAFT = "ministry-of-higher-education-science-research-and-innovation"


def test_everything_is_published_with_the_time_it_was_loaded():
    loaded = load_demo()
    for model in record_models():
        if not issubclass(model, Publishable):
            continue
        assert model.objects.exists(), model
        published = model.objects.published()
        assert not published.filter(published_at__isnull=True).exists(), model
        assert set(published.values_list("published_at", flat=True)) == {loaded}, model
        assert set(model.objects.values_list("created_at", flat=True)) == {loaded}, model
        assert set(model.objects.values_list("updated_at", flat=True)) == {loaded}, model
    drafts = [
        record.slug
        for model in record_models()
        if issubclass(model, Publishable)
        for record in model.objects.drafts()
    ]
    assert drafts == [UNSOURCED_DRAFT]
    assert "No source" in Organization.objects.get(slug=UNSOURCED_DRAFT).uncertainty


def test_every_record_gets_a_first_history_entry_saying_it_was_loaded():
    loaded = load_demo()
    reason = change_reason(loaded)
    assert reason.startswith("Loaded from the demo data, ")
    for model in record_models():
        history = getattr(model, "history", None)
        if history is None or not model.objects.exists():
            continue
        assert history.count() == model.objects.count(), model
        assert set(history.values_list("history_change_reason", flat=True)) == {reason}, model
        assert set(history.values_list("history_date", flat=True)) == {loaded}, model


@pytest.mark.parametrize("model", CITING_MODELS, ids=lambda m: m.__name__)
def test_every_published_record_cites_a_source(demo, model):
    assert model.objects.published().exists()
    assert not model.objects.published().filter(sources__isnull=True).exists()


def test_every_published_record_passes_its_publication_checks(demo):
    for model in record_models():
        if not issubclass(model, Publishable):
            continue
        for record in model.objects.published().with_quality():
            assert record.publication_problems() == [], (model.__name__, str(record))


def test_every_source_is_cited(demo):
    assert Source.objects.cited().count() == Source.objects.count()


def test_the_framework_document(demo):
    framework = Agreement.objects.get(slug=FRAMEWORK_SLUG)
    assert framework.signed_on == date(2022, 1, 13)
    assert framework.signed_at == "Shangri-La Hotel, Bangkok"
    assert framework.kind == "framework"
    assert framework.status == AgreementStatus.SIGNED
    assert {p.organization.acronym for p in framework.parties.all()} == {"MOI", "METI"}
    signatories = {
        s.person.name: (s.title_at_signing, s.organization.acronym)
        for s in framework.signatories.all()
    }
    assert signatories == {
        "Suriya Juangroongruangkit": ("Minister of Industry", "MOI"),
        "Hagiuda Koichi": ("Minister of Economy, Trade and Industry", "METI"),
    }
    # Each minister's title as their own government writes it (fixtures/TRANSLATIONS.md).
    own_titles = {
        s.person.name: (s.title_at_signing_th, s.title_at_signing_ja)
        for s in framework.signatories.all()
    }
    assert own_titles["Suriya Juangroongruangkit"][0] == "รัฐมนตรีว่าการกระทรวงอุตสาหกรรม"
    assert own_titles["Hagiuda Koichi"][1] == "経済産業大臣"
    assert all(all(titles) for titles in own_titles.values())
    assert list(framework.areas.values_list("number", flat=True)) == [1, 2, 3]
    assert {p.acronym for p in framework.policies.all()} == {"AJIF", "BCG"}
    assert "news report" in framework.uncertainty
    assert set(framework.sources.values_list("pk", flat=True)) == {1, 2, 4}


def test_the_first_area_names_its_target_industries_as_sectors(demo):
    area = CooperationArea.objects.get(slug="co-creation-2022-1-technologies-human-capital")
    names = set(area.sectors.values_list("name", flat=True))
    assert len(names) == 12
    assert {"Next-generation vehicles", "Smart electronics", "Digital medical"} <= names
    assert not area.sectors.filter(parent__isnull=True).exists()


def test_sectors_form_a_two_level_tree(demo):
    assert Sector.objects.filter(parent__isnull=True).exists()
    assert not Sector.objects.filter(parent__parent__isnull=False).exists()
    for broad in Sector.objects.filter(parent__isnull=True):
        assert broad.children.exists(), broad


def test_jtepa_is_in_force_with_its_timeline(demo):
    jtepa = Agreement.objects.get(short_title="JTEPA")
    assert jtepa.status == AgreementStatus.IN_FORCE
    assert jtepa.signed_on == date(2007, 4, 3)
    assert jtepa.in_force_on == date(2007, 11, 1)
    events = list(jtepa.events.values_list("date", "date_precision"))
    assert events == [
        (date(2004, 2, 1), DatePrecision.MONTH),
        (date(2005, 9, 1), DatePrecision.DAY),
    ]


def test_the_other_agreements(demo):
    dates = dict(Agreement.objects.values_list("slug", "signed_on"))
    assert dates["hr-development-industry-4-0-framework-2022"] == date(2022, 11, 16)
    assert dates["five-year-joint-action-plan-2022-2026"] == date(2022, 11, 17)
    assert dates["nedo-moi-ieat-elv-memorandum-2019"] == date(2019, 2, 8)
    assert Agreement.objects.filter(signed_on=date(2022, 1, 13)).count() == 3
    plan = Agreement.objects.get(slug="five-year-joint-action-plan-2022-2026")
    assert plan.areas.count() == 3


def test_organizations(demo):
    moi = Organization.objects.get(acronym="MOI")
    assert set(moi.children.values_list("acronym", flat=True)) == {"DIPROM", "OIE"}
    assert Organization.objects.get(acronym="METI").country == "JP"
    assert moi.country == "TH"
    assert not Person.objects.filter(country="").exists()


def test_where_each_organization_is_and_whose_it_is(demo):
    """JTECS is based in Thailand and listed among the Japanese organizations; Green Metals
    (Thailand) is a Japanese-owned company in Thailand. Each says what is uncertain about it."""
    for slug in ("jtecs", "green-metals-thailand"):
        organization = Organization.objects.get(slug=slug)
        assert (organization.country, organization.ownership_country) == ("TH", "JP"), slug
        assert organization.uncertainty, slug
    # Nobody else is recorded as owned from another country than their base.
    others = Organization.objects.exclude(ownership_country="").exclude(
        slug__in=["jtecs", "green-metals-thailand"]
    )
    assert not others.exists()


def test_the_five_initiatives(demo):
    assert set(Initiative.objects.values_list("slug", flat=True)) >= INITIATIVE_SLUGS
    roles = set(Initiative.objects.values_list("participations__role", flat=True))
    assert roles == set(ParticipantRole.values)
    for initiative in Initiative.objects.all():
        assert initiative.participations.exists(), initiative
        assert initiative.area_links.exists(), initiative


def test_smart_monozukuri_targets(demo):
    smart = Initiative.objects.get(slug="smart-monozukuri")
    reached = dict(smart.targets.values_list("label", "reached_value"))
    assert reached == {"IoT instructors trained": Decimal(50), "SMEs coached": Decimal(10)}
    assert smart.status == InitiativeStatus.COMPLETED
    assert smart.milestones.get().date == date(2023, 1, 26)


def test_elv_aims_at_twenty_vehicles_a_day_under_the_nedo_memorandum(demo):
    elv = Initiative.objects.get(slug="elv-management-system")
    target = elv.targets.get()
    assert (target.target_value, target.unit) == (Decimal(20), "vehicles a day")
    assert elv.agreement.slug == "nedo-moi-ieat-elv-memorandum-2019"
    trial = elv.milestones.get(title="Trial runs begin")
    assert (trial.date, trial.date_precision) == (date(2019, 11, 1), DatePrecision.MONTH)


def test_investment_projects_are_filed_under_a_specific_sector(demo):
    assert Investment.objects.exists()
    assert not Investment.objects.filter(sector__isnull=True).exists()
    assert not Investment.objects.filter(sector__parent__isnull=True).exists()


def test_the_pet_resin_project(demo):
    pet = Investment.objects.get(slug="pet-resin-2021")
    assert pet.title == "Manufacture of petrochemical products (PET resin)"
    assert (pet.origin_country, pet.destination_country) == ("JP", "TH")
    assert pet.stage == Stage.APPLIED
    assert pet.amount_unit == AmountUnit.MILLION
    assert pet.amount == Decimal("3062000000.00")
    assert format_amount(pet.amount, pet.currency, pet.amount_unit) == "3,062 million baht"


def test_reported_applications_name_the_reporting_body_the_period_and_the_projects(demo):
    applications = InvestmentFigure.objects.filter(basis=Basis.APPLICATIONS)
    assert applications.exists()
    assert not applications.filter(reported_by__isnull=True).exists()
    assert not applications.filter(project_count__isnull=True).exists()
    assert not applications.filter(period_label="").exists()
    assert not applications.filter(period_start__isnull=True).exists()


def test_the_jan_sep_2021_figure(demo):
    figure = InvestmentFigure.objects.get(period_label="Jan–Sep 2021")
    assert figure.project_count == 125
    assert figure.amount == Decimal("67817000000")
    assert figure.currency == "THB"
    assert figure.share_percent == Decimal(19)
    assert figure.rank == 1
    assert (figure.period_start, figure.period_end) == (date(2021, 1, 1), date(2021, 9, 30))
    assert format_amount(figure.amount, figure.currency, figure.amount_unit) == (
        "67,817 million baht"
    )


def test_the_pledge_is_approximate_and_has_no_period(demo):
    pledge = InvestmentFigure.objects.get(basis=Basis.PLEDGE)
    assert pledge.amount == Decimal("70000000000")
    assert pledge.amount_approximate
    assert pledge.amount_as_written == "around 70 billion baht"
    assert pledge.period_start is None and pledge.period_end is None
    assert pledge.period_label == ""
    assert pledge.period_not_stated
    assert "no period" in pledge.uncertainty


@pytest.mark.parametrize(
    ("model", "lookup"),
    [
        (Agreement, {"slug": FRAMEWORK_SLUG}),
        (Agreement, {"slug": "five-year-joint-action-plan-2022-2026"}),
        (Agreement, {"slug": "nedo-moi-ieat-elv-memorandum-2019"}),
        (Initiative, {"slug": "elv-management-system"}),
        (Initiative, {"slug": "smart-monozukuri"}),
        (Initiative, {"slug": "lasi"}),
        (Initiative, {"slug": "lipe"}),
        (Initiative, {"slug": "industry-transformation-center"}),
        (Investment, {"slug": "pet-resin-2021"}),
        (Investment, {"slug": "special-yarns-fabrics-2021"}),
        (Investment, {"slug": "microbial-plant-cell-production-rd-2021"}),
        (InvestmentFigure, {"basis": Basis.PLEDGE}),
    ],
)
def test_uncertain_records_say_so(demo, model, lookup):
    assert model.objects.get(**lookup).uncertainty.strip()


def test_sources_keep_dates_no_more_precise_than_known(demo):
    assert "Ministry of the Interior" in Source.objects.get(pk=1).note
    assert "221686" in Source.objects.get(pk=22).note
    assert Source.objects.get(pk=8).published_on is None
    energia = Source.objects.get(pk=6)
    assert (energia.published_on, energia.published_on_precision) == (
        date(2022, 1, 1),
        DatePrecision.MONTH,
    )
    assert Source.objects.get(pk=13).published_on_precision == DatePrecision.YEAR


def test_loaddemo_loads_into_an_empty_database():
    out = StringIO()
    call_command("loaddemo", stdout=out)
    assert "Loaded the demo data" in out.getvalue()
    assert Agreement.objects.filter(slug=FRAMEWORK_SLUG).exists()
    assert record_count() == len(demo_objects())


def test_loaddemo_leaves_an_existing_database_alone():
    own = make_organization(name="Editor's ministry", slug="editors-ministry")
    out = StringIO()
    call_command("loaddemo", stdout=out)
    assert "not loaded" in out.getvalue()
    assert record_count() == 1
    own.refresh_from_db()
    assert own.name == "Editor's ministry"


def test_loaddemo_dry_run_writes_nothing():
    out = StringIO()
    call_command("loaddemo", "--dry-run", stdout=out)
    assert "would be loaded" in out.getvalue()
    assert record_count() == 0


def test_treaties_name_the_two_governments_as_parties(demo):
    for slug in ["jtepa", "five-year-joint-action-plan-2022-2026"]:
        agreement = Agreement.objects.get(slug=slug)
        parties = set(agreement.parties.values_list("organization__slug", flat=True))
        assert parties == {"government-of-japan", "government-of-thailand"}
        signed_for = set(agreement.signatories.values_list("organization__slug", flat=True))
        assert signed_for == parties


@pytest.mark.django_db(transaction=True)
def test_a_fixture_with_a_broken_record_leaves_the_database_unchanged(tmp_path):
    load_demo()
    before = record_count()
    stamp = "2026-11-01T00:00:00Z"
    common = {"publication": "draft", "created_at": stamp, "updated_at": stamp}
    broken = [
        {"model": "core.source", "pk": 900, "fields": {"title": "Fine", "publisher": "BOI"}},
        {
            "model": "investments.investment",
            "pk": 900,
            "fields": {
                "title": "Broken",
                "slug": "broken",
                "origin_country": "JP",
                "destination_country": "TH",
                "amount": "-5.00",
                "currency": "THB",
                **common,
            },
        },
    ]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    with pytest.raises(Exception, match=r"(?i)constraint|check"):
        call_command("loaddata", str(path), verbosity=0)
    assert record_count() == before
    assert not Source.objects.filter(pk=900).exists()


def test_every_person_has_a_name_in_each_language_their_own_in_their_script(demo):
    people = Person.objects.all()
    assert people
    for person in people:
        assert person.name_th and person.name_ja, person.name
        own = {"TH": person.name_th, "JP": person.name_ja}[person.country.code]
        script = r"[\u0E00-\u0E7F]" if person.country.code == "TH" else r"[\u4E00-\u9FFF]"
        assert re.search(script, own), (person.name, own)
