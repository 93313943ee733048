"""Admin lists that fit a laptop screen: compact columns, the investments filters editors
asked for, one way of writing dates, and the admin's stylesheet and script loaded."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.templatetags.admin_list import result_headers
from django.urls import reverse
from django.utils import formats

from partnership.investments.models import Investment, InvestmentFigure
from tests import factories as f
from tests import test_admin
from tests.test_admin import MODEL_IDS, REGISTERED, url

records = test_admin.records  # one record of every registered model


def headers(response):
    return [str(header["text"]).lower() for header in response.context["result_headers"] if header]


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_every_list_loads_the_admin_stylesheet_and_script(admin_client, records, model):
    response = admin_client.get(url(model, "changelist"))
    assert response.status_code == 200
    assert "/static/css/admin.css" in response.text
    assert "/static/js/admin.js" in response.text


def test_the_investments_list_has_compact_columns(admin_client, records):
    response = admin_client.get(url(Investment, "changelist"))
    assert headers(response)[1:] == [
        "title",
        "investor",
        "from → to",
        "sector",
        "amount",
        "stage",
        "period",
        "publication",
        "quality",
        "last changed",
    ]
    assert '<span title="Japan → Thailand">JP → TH</span>' in response.text
    assert "1,000 million baht" in response.text


def test_the_figures_list_has_short_labels(admin_client, records):
    response = admin_client.get(url(InvestmentFigure, "changelist"))
    assert headers(response)[1:7] == [
        "figure",
        "projects",
        "amount",
        "share (%)",
        "rank",
        "reported by",
    ]


# Filters of the investments list ------------------------------------------------------------


@pytest.fixture
def investments(db):
    denso = f.make_organization(name="Denso", slug="denso")
    source = f.make_source()
    return {
        "small": f.make_investment(
            slug="small", amount=Decimal(50_000_000), province="Rayong", sources=[source]
        ),
        "medium": f.make_investment(
            slug="medium",
            amount=Decimal(3_062_000_000),
            investor=denso,
            province="Chonburi",
            sources=[],
        ),
        "large": f.make_investment(
            slug="large",
            amount=Decimal(20_000_000_000),
            import_batch="2026-12-02 10:00 investments.csv",
            sources=[source],
        ),
        "none": f.make_investment(slug="none", amount=None, published=False),
        "denso": denso,
    }


def listed(client, query):
    response = client.get(url(Investment, "changelist") + "?" + query)
    assert response.status_code == 200
    return {record.slug for record in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("amount=under-100", {"small"}),
        ("amount=1000-10000", {"medium"}),
        ("amount=10000-", {"large"}),
        ("amount=none", {"none"}),
        ("sources=none", {"medium", "none"}),
        ("sources=some", {"small", "large"}),
        ("province=Chonburi", {"medium"}),
        ("import_batch=2026-12-02+10%3A00+investments.csv", {"large"}),
        ("import_batch=none", {"small", "medium", "none"}),
    ],
)
def test_the_investments_list_filters(admin_client, investments, query, expected):
    assert listed(admin_client, query) == expected


def test_it_filters_by_investor(admin_client, investments):
    assert listed(admin_client, f"investor__id__exact={investments['denso'].pk}") == {"medium"}


def test_the_filters_say_what_they_filter(admin_client, investments):
    response = admin_client.get(url(Investment, "changelist"))
    titles = [spec.title for spec in response.context["cl"].filter_specs]
    for title in (
        "investor",
        "province",
        "amount (million, in the record's currency)",
        "sources",
        "import",
    ):
        assert title in titles
    for choice in (
        "1,000 to 10,000 million",
        "Cites no source",
        "2026-12-02 10:00 investments.csv",
    ):
        assert choice in response.text


def test_it_offers_every_year_from_the_first_period_to_the_last(admin_client, investments):
    f.make_investment(slug="old", period_start=date(2018, 3, 1), period_end=None)
    f.make_investment(slug="undated", period_start=None, period_end=None)
    response = admin_client.get(url(Investment, "changelist"))
    spec = next(
        s for s in response.context["cl"].filter_specs if s.title == "year the period starts"
    )
    assert [value for value, _ in spec.lookup_choices] == ["2021", "2020", "2019", "2018"]
    assert listed(admin_client, "period_start__year=2018") == {"old"}
    assert listed(admin_client, "period_start__year=2019") == set()
    assert "small" in listed(admin_client, "period_start__year=2021")


@pytest.mark.parametrize("year", ["x", "0", "99999", "-1", "2021.5", "²", ""])
def test_a_year_that_is_not_one_is_refused_without_an_error(admin_client, investments, year):
    response = admin_client.get(url(Investment, "changelist"), {"period_start__year": year})
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_a_large_list_leaves_out_the_filters_that_grow_with_it(
    admin_client, investments, monkeypatch
):
    def titles():
        response = admin_client.get(url(Investment, "changelist"))
        return [spec.title for spec in response.context["cl"].filter_specs]

    assert {"province", "investor"} <= set(titles())
    monkeypatch.setattr(
        "partnership.core.admin.paginator.estimated_count", lambda queryset: 1_000_000
    )
    assert not {"province", "investor"} & set(titles())
    assert "year the period starts" in titles()
    # A link to one investor's projects still lists them.
    assert listed(admin_client, f"investor__id__exact={investments['denso'].pk}") == {"medium"}


def test_a_large_list_sorts_only_by_its_indexed_columns(admin_client, investments, monkeypatch):
    """The investor's and the sector's names are in other tables: on a large table their
    columns offer no sorting, and an address asking for it keeps the newest first."""
    changelist = url(Investment, "changelist")

    def sortable(response):
        return {h["text"] for h in result_headers(response.context["cl"]) if h["sortable"]}

    assert {"investor", "sector", "title", "amount"} <= sortable(admin_client.get(changelist))
    monkeypatch.setattr(
        "partnership.core.admin.paginator.estimated_count", lambda queryset: 1_000_000
    )
    response = admin_client.get(changelist)
    assert {"title", "amount", "stage", "period"} <= sortable(response)
    assert not {"investor", "sector"} & sortable(response)
    newest_first = [i.slug for i in response.context["cl"].result_list]
    columns = response.context["cl"].list_display
    for column in ("investor_name", "sector"):
        asked = admin_client.get(changelist, {"o": str(columns.index(column))})
        assert asked.status_code == 200
        assert [i.slug for i in asked.context["cl"].result_list] == newest_first, column
    by_amount = admin_client.get(changelist, {"o": f"-{columns.index('amount_as_written')}"})
    stated = [i.slug for i in by_amount.context["cl"].result_list if i.amount is not None]
    assert stated[:3] == ["large", "medium", "small"]


def test_the_search_finds_an_investors_projects_by_its_name_or_acronym(admin_client, investments):
    denso = investments["denso"]
    denso.acronym = "DNS"
    denso.save()
    assert listed(admin_client, "q=denso") == {"medium"}
    assert listed(admin_client, "q=DNS") == {"medium"}
    assert listed(admin_client, "q=Chonburi") == {"medium"}
    assert listed(admin_client, "q=denso+Rayong") == set()
    assert listed(admin_client, 'q="Chonburi"+denso') == {"medium"}


def test_the_list_with_filters_runs_a_constant_number_of_queries(admin_client, investments):
    from tests.helpers import count_queries

    address = url(Investment, "changelist") + "?sources=none&amount=1000-10000"
    before = count_queries(admin_client, address)
    for n in range(5):
        f.make_investment(slug=f"more-{n}", amount=Decimal(2_000_000_000))
    assert count_queries(admin_client, address) == before


# Dates -------------------------------------------------------------------------------------------


def test_dates_read_the_same_way_everywhere_in_the_admin(admin_client, records, settings):
    assert formats.date_format(date(2026, 12, 2)) == "2 Dec 2026"
    agreement = f.make_agreement(title="Dated", signed_on=date(2022, 1, 13))
    response = admin_client.get(url(type(agreement), "changelist"))
    assert "13 Jan 2022" in response.text
    assert "Jan. 13, 2022" not in response.text
    assert "January 13, 2022" not in response.text
    history = admin_client.get(url(type(agreement), "history", agreement.pk))
    assert history.status_code == 200
    assert "a.m." not in history.text and "p.m." not in history.text


def test_the_date_hierarchy_names_days_the_same_way(admin_client, records):
    address = url(InvestmentFigure, "changelist") + "?period_end__year=2021&period_end__month=9"
    response = admin_client.get(address)
    assert "30 September" in response.text
    assert "September 30" not in response.text


def test_date_inputs_still_take_iso_dates(admin_client, db):
    source = f.make_source(published_on=date(2024, 4, 10))
    response = admin_client.get(reverse("admin:core_source_change", args=[source.pk]))
    assert 'value="2024-04-10"' in response.text


def test_the_admin_script_leaves_the_time_zone_note_to_fields_with_a_time():
    from django.conf import settings

    script = (settings.BASE_DIR / "static" / "js" / "admin.js").read_text()
    assert "addTimezoneWarning" in script
    assert 'classList.contains("vDateField")' in script
