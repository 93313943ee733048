"""Downloads of the agreements, initiatives and organizations lists, and the data dictionary."""

import csv
import io
import json
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.agreements.datasets import AGREEMENT_COLUMNS
from partnership.initiatives.datasets import INITIATIVE_COLUMNS
from partnership.investments.datasets import FIGURE_COLUMNS, INVESTMENT_COLUMNS
from partnership.organizations.datasets import ORGANIZATION_COLUMNS
from partnership.site.datasets import DATASETS
from tests.factories import (
    READING,
    make_agreement,
    make_area,
    make_initiative,
    make_organization,
    make_participation,
    make_party,
    make_policy,
    make_sector,
    make_source,
)

LISTS = {
    "agreements": ("agreements:list", "agreements:export", AGREEMENT_COLUMNS),
    "initiatives": ("initiatives:list", "initiatives:export", INITIATIVE_COLUMNS),
    "organizations": ("organizations:list", "organizations:export", ORGANIZATION_COLUMNS),
}


def url(name, fmt="csv"):
    return reverse(LISTS[name][1], args=[fmt])


def body(response):
    assert response.status_code == 200, response.content
    assert response.streaming
    return b"".join(response.streaming_content)


def csv_rows(response):
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def json_body(response):
    return json.loads(body(response).decode("utf-8"))


@pytest.mark.django_db
class TestOnTheDemo:
    @pytest.mark.parametrize("name", LISTS)
    def test_each_download_has_every_published_row_and_column(self, client, demo, name):
        list_name, _, columns = LISTS[name]
        response = client.get(url(name))
        today = timezone.localdate().isoformat()
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"] == f'attachment; filename="{name}-{today}.csv"'
        rows = csv_rows(response)
        page = client.get(reverse(list_name))
        assert len(rows) == page.context["page_obj"].paginator.count > 0
        assert list(rows[0]) == [c.name for c in columns]
        data = json_body(client.get(url(name, "json")))
        assert [r["slug"] for r in data["rows"]] == [r["slug"] for r in rows]
        assert data["meta"]["source"] == "Partnership Tracker"
        assert data["meta"]["url"] == "http://testserver" + reverse(list_name)
        assert data["meta"]["data_dictionary"] == (
            f"http://testserver{reverse('site:data_dictionary')}#{name}"
        )
        assert data["meta"]["generated"].startswith(today[:4])
        assert data["meta"]["columns"] == [c.name for c in columns]

    def test_the_agreements_download_names_the_parties(self, client, demo):
        rows = {r["slug"]: r for r in csv_rows(client.get(url("agreements")))}
        plan = rows["five-year-joint-action-plan-2022-2026"]
        assert plan["parties"] == "Government of Thailand; Government of Japan"
        assert plan["kind"] == "action_plan"
        assert plan["signed_on"] == "2022-11-17"
        assert plan["url"] == "http://testserver/agreements/five-year-joint-action-plan-2022-2026/"
        assert plan["source_urls"].startswith("https://")

    def test_the_initiatives_download_names_participants_with_roles(self, client, demo):
        rows = {r["slug"]: r for r in csv_rows(client.get(url("initiatives")))}
        elv = rows["elv-management-system"]
        assert "(funding or commissioning)" in elv["participants"]
        assert elv["start_date"] == "2018-01-01"
        assert elv["start_date_precision"] == "year"
        assert elv["end_date"] == elv["end_date_precision"] == ""
        assert elv["areas"] and elv["agreement_slug"]

    def test_the_organizations_download_names_the_parent(self, client, demo):
        rows = {r["slug"]: r for r in csv_rows(client.get(url("organizations")))}
        diprom = rows["department-of-industrial-promotion"]
        assert diprom["parent"] == "thailand-ministry-of-industry"
        assert diprom["country"] == "TH" and diprom["country_name"] == "Thailand"


@pytest.mark.django_db
class TestSameRowsAsThePage:
    def test_agreements(self, client):
        make_agreement(title="Old", signed_on=date(2019, 5, 1))
        make_agreement(title="New", signed_on=date(2022, 1, 13))
        make_agreement(title="Unsigned", signed_on=None, status="negotiating")
        for params in ({}, {"year": "2022"}, {"o": "title"}, {"q": "ol"}):
            page = client.get(reverse("agreements:list"), params)
            expected = [a.slug for a in page.context["page_obj"].paginator.object_list]
            assert [r["slug"] for r in csv_rows(client.get(url("agreements"), params))] == expected
        assert len(csv_rows(client.get(url("agreements"), {"year": "2022"}))) == 1

    def test_initiatives(self, client):
        org = make_organization()
        lead = make_initiative(title="Led")
        make_participation(lead, org)
        make_initiative(title="Other", status="completed")
        for params in ({}, {"organization": org.slug}, {"status": "completed"}):
            page = client.get(reverse("initiatives:list"), params)
            expected = [i.slug for i in page.context["page_obj"].paginator.object_list]
            assert [r["slug"] for r in csv_rows(client.get(url("initiatives"), params))] == expected
        assert [
            r["title"] for r in csv_rows(client.get(url("initiatives"), {"status": "completed"}))
        ] == ["Other"]

    def test_organizations(self, client):
        make_organization(name="Japanese body", country="JP")
        make_organization(name="Thai body", country="TH")
        params = {"country": "JP"}
        page = client.get(reverse("organizations:list"), params)
        expected = [o.slug for o in page.context["page_obj"].paginator.object_list]
        rows = csv_rows(client.get(url("organizations"), params))
        assert [r["slug"] for r in rows] == expected
        assert [r["name"] for r in rows] == ["Japanese body"]

    def test_all_rows_not_one_page(self, client, settings):
        for _ in range(settings.PAGE_SIZE + 5):
            make_organization()
        assert (
            len(csv_rows(client.get(url("organizations"), {"page": "2"}))) == settings.PAGE_SIZE + 5
        )


@pytest.mark.django_db
class TestDrafts:
    def test_draft_agreements_and_draft_parties_and_policies_are_left_out(self, client):
        agreement = make_agreement(title="Public")
        make_party(agreement, make_organization(name="Visible Ministry"))
        make_party(agreement, make_organization(name="Hidden Ministry", published=False))
        agreement.policies.add(
            make_policy(title="Open policy"), make_policy(title="Secret policy", published=False)
        )
        make_agreement(title="Draft agreement", published=False)
        rows = csv_rows(client.get(url("agreements")))
        assert [r["title"] for r in rows] == ["Public"]
        assert rows[0]["parties"] == "Visible Ministry"
        assert rows[0]["policies"] == "Open policy"

    def test_draft_initiatives_participants_areas_sectors_and_agreements_are_left_out(self, client):
        hidden_agreement = make_agreement(published=False, slug="hidden-agreement")
        initiative = make_initiative(title="Public", agreement=hidden_agreement)
        make_participation(initiative, make_organization(name="Visible Agency"), role="lead")
        make_participation(initiative, make_organization(name="Hidden Agency", published=False))
        initiative.areas.add(
            make_area(make_agreement(), slug="open-area"),
            make_area(hidden_agreement, slug="hidden-area"),
            through_defaults=READING,
        )
        initiative.sectors.add(
            make_sector(name="Open sector"), make_sector(name="Secret sector", published=False)
        )
        make_initiative(title="Draft initiative", published=False)
        rows = csv_rows(client.get(url("initiatives")))
        assert [r["title"] for r in rows] == ["Public"]
        row = rows[0]
        assert row["participants"] == "Visible Agency (lead)"
        assert row["areas"] == "open-area"
        assert row["sectors"] == "Open sector"
        assert row["agreement_slug"] == ""
        assert "hidden" not in json.dumps(json_body(client.get(url("initiatives", "json")))).lower()

    def test_draft_organizations_and_draft_parents_are_left_out(self, client):
        parent = make_organization(name="Hidden parent", slug="hidden-parent", published=False)
        make_organization(name="Child", parent=parent)
        make_organization(name="Draft body", published=False)
        rows = csv_rows(client.get(url("organizations")))
        assert [r["name"] for r in rows] == ["Child"]
        assert rows[0]["parent"] == rows[0]["parent_name"] == ""


@pytest.mark.django_db
class TestText:
    def test_thai_and_japanese_text_is_kept(self, client):
        make_agreement(title="กรอบความร่วมมือ 協力枠組み", signed_at="กรุงเทพฯ")
        make_initiative(title="ศูนย์ปฏิรูปอุตสาหกรรม 産業変革センター")
        make_organization(name="กระทรวงอุตสาหกรรม 工業省")
        assert csv_rows(client.get(url("agreements")))[0]["title"] == "กรอบความร่วมมือ 協力枠組み"
        assert csv_rows(client.get(url("agreements")))[0]["signed_at"] == "กรุงเทพฯ"
        assert (
            json_body(client.get(url("initiatives", "json")))["rows"][0]["title"]
            == "ศูนย์ปฏิรูปอุตสาหกรรม 産業変革センター"
        )
        assert csv_rows(client.get(url("organizations")))[0]["name"] == "กระทรวงอุตสาหกรรม 工業省"

    @pytest.mark.parametrize(
        "payload", ['=HYPERLINK("http://evil.example")', "+1", "-1+2", "@SUM(A1)"]
    )
    def test_formulas_are_neutralised(self, client, payload):
        agreement = make_agreement(title=payload, summary=payload)
        make_party(agreement, make_organization(name=payload))
        initiative = make_initiative(title=payload)
        make_participation(initiative, make_organization(name=payload + " two"))
        row = csv_rows(client.get(url("agreements")))[0]
        assert row["title"] == row["summary"] == row["parties"] == "'" + payload
        row = csv_rows(client.get(url("initiatives")))[0]
        assert row["title"] == "'" + payload
        assert row["participants"].startswith("'" + payload)
        names = {r["name"] for r in csv_rows(client.get(url("organizations")))}
        assert "'" + payload in names


@pytest.mark.django_db
class TestInvalidFilters:
    @pytest.mark.parametrize(
        ("name", "params", "parameter"),
        [
            ("agreements", {"year": "twenty"}, "year"),
            ("agreements", {"kind": "treaty"}, "kind"),
            ("agreements", {"party": "nobody"}, "party"),
            ("initiatives", {"status": "dreaming"}, "status"),
            ("initiatives", {"year": "12345"}, "year"),
            ("organizations", {"country": "XX"}, "country"),
            ("organizations", {"kind": "club"}, "kind"),
        ],
    )
    def test_an_invalid_value_is_a_400_naming_the_parameter(self, client, name, params, parameter):
        for fmt in ("csv", "json"):
            response = client.get(url(name, fmt), params)
            assert response.status_code == 400
            assert response["Content-Type"].startswith("text/plain")
            assert f"- {parameter}:" in response.content.decode()

    @pytest.mark.parametrize("name", LISTS)
    def test_other_formats_are_404(self, client, name):
        assert client.get(url(name, "xlsx")).status_code == 404


@pytest.mark.django_db
class TestQueryCounts:
    def _agreements(self, n):
        source = make_source()
        for _ in range(n):
            agreement = make_agreement()
            make_party(agreement)
            agreement.policies.add(make_policy())
            agreement.sources.add(source)

    def _initiatives(self, n):
        area = make_area()
        for _ in range(n):
            initiative = make_initiative()
            make_participation(initiative)
            initiative.areas.add(area, through_defaults=READING)
            initiative.sectors.add(make_sector())
            initiative.sources.add(make_source())

    def _organizations(self, n):
        parent = make_organization()
        for _ in range(n):
            make_organization(parent=parent)

    @pytest.mark.parametrize("n", [1, 50])
    @pytest.mark.parametrize(
        ("name", "params", "queries"),
        [
            # the data version (the X-Data-Version header), the rows, then per chunk of
            # rows: parties, policies, sources
            ("agreements", {"o": "title", "kind": "framework"}, 5),
            # the data version, the rows, then per chunk: areas, their bases, their notes,
            # participants, sectors, sources
            ("initiatives", {"o": "title", "status": "active"}, 8),
            # the country options (to validate the filter), the data version, the rows, then
            # per chunk: sources
            ("organizations", {"country": "TH"}, 4),
        ],
    )
    def test_the_count_does_not_grow_with_the_rows(
        self, client, django_assert_num_queries, name, params, queries, n
    ):
        getattr(self, f"_{name}")(n)
        with django_assert_num_queries(queries):
            rows = csv_rows(client.get(url(name), params))
        assert len(rows) == n + (1 if name == "organizations" else 0)


@pytest.mark.django_db
class TestListPages:
    @pytest.mark.parametrize("name", LISTS)
    def test_each_list_links_its_downloads_with_the_filters(self, client, name):
        list_name = LISTS[name][0]
        params = {"q": "x", "page": "1"}
        html = client.get(reverse(list_name), params).content.decode()
        assert 'class="downloads"' in html
        assert url(name) + "?q=x" in html
        assert url(name, "json") + "?q=x" in html
        assert "page=1" not in html.split('class="downloads"')[1]
        assert f"{reverse('site:data_dictionary')}#{name}" in html

    def test_no_download_links_while_the_filters_are_invalid(self, client):
        html = client.get(reverse("agreements:list"), {"year": "x"}).content.decode()
        assert 'class="downloads"' not in html


@pytest.mark.django_db
class TestDataDictionary:
    def test_it_lists_every_column_of_every_download(self, client):
        html = client.get(reverse("site:data_dictionary")).content.decode()
        every = {
            "agreements": AGREEMENT_COLUMNS,
            "initiatives": INITIATIVE_COLUMNS,
            "organizations": ORGANIZATION_COLUMNS,
            "investments": INVESTMENT_COLUMNS,
            "figures": FIGURE_COLUMNS,
        }
        assert {d.id for d in DATASETS} == set(every)
        for dataset, columns in every.items():
            assert f'id="{dataset}"' in html
            for column in columns:
                assert f'id="{dataset}-{column.name}"' in html
        for dataset in DATASETS:
            assert dataset.csv in html and dataset.json in html
        assert "<code>action_plan</code> (Action plan)" in html

    def test_the_old_address_redirects(self, client):
        response = client.get(reverse("investments:data_dictionary"))
        assert response.status_code == 301
        assert response["Location"] == reverse("site:data_dictionary")

    def test_every_download_names_its_columns_in_the_same_order(self, client):
        for dataset in DATASETS:
            data = json_body(client.get(dataset.json))
            assert data["meta"]["columns"] == [c.name for c in dataset.columns]
