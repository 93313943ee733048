"""Downloads: streamed CSV and JSON of exactly the rows the list's filters select."""

import csv
import io
import json
import tracemalloc
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.core.models import Publication
from partnership.core.writers import neutralise
from partnership.investments.models import Investment
from tests.factories import make_figure, make_investment, make_organization, make_source

CSV_URL = reverse("investments:export", args=["csv"])
JSON_URL = reverse("investments:export", args=["json"])
FIGURES_CSV = reverse("investments:figures_export", args=["csv"])
FIGURES_JSON = reverse("investments:figures_export", args=["json"])


def body(response):
    assert response.streaming
    return b"".join(response.streaming_content)


def csv_rows(response):
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def json_body(response):
    return json.loads(body(response).decode("utf-8"))


@pytest.mark.django_db
class TestCsv:
    def test_it_sends_an_attachment_named_by_date(self, client):
        make_investment()
        response = client.get(CSV_URL)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        today = timezone.localdate().isoformat()
        assert response["Content-Disposition"] == f'attachment; filename="investments-{today}.csv"'

    def test_it_keeps_thai_and_japanese_text_after_a_bom(self, client):
        make_investment(title="โรงงานชิ้นส่วนยานยนต์ 自動車部品工場", province="ชลบุรี")
        rows = csv_rows(client.get(CSV_URL))
        assert rows[0]["title"] == "โรงงานชิ้นส่วนยานยนต์ 自動車部品工場"
        assert rows[0]["province"] == "ชลบุรี"

    @pytest.mark.parametrize(
        "payload",
        [
            '=HYPERLINK("http://evil.example","click")',
            "+1+1",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(A1:A9)",
            "\t=1+1",
            "\r=1+1",
        ],
    )
    def test_it_neutralises_formula_cells(self, client, payload):
        make_investment(title=payload, province=payload)
        rows = csv_rows(client.get(CSV_URL))
        assert rows[0]["title"] == "'" + payload
        assert rows[0]["province"] == "'" + payload

    def test_it_leaves_numbers_and_plain_text_alone(self, client):
        make_investment(title="Plant", amount=Decimal("3062000000"))
        row = csv_rows(client.get(CSV_URL))[0]
        assert row["title"] == "Plant"
        assert row["amount"] == "3062000000"
        assert row["amount_as_reported"] == "3,062 million baht"
        assert row["period_start"] == "2021-01-01"
        assert neutralise(5) == 5

    def test_it_has_every_row_the_filters_select_not_one_page(self, client):
        for _ in range(30):
            make_investment(origin_country="JP")
        make_investment(origin_country="KR", title="Korean plant")
        rows = csv_rows(client.get(CSV_URL, {"origin": "JP", "page": "2"}))
        assert len(rows) == 30
        assert "Korean plant" not in {r["title"] for r in rows}

    def test_it_leaves_out_drafts_and_draft_related_records(self, client):
        hidden = make_organization(name="Hidden Investor Co", published=False)
        make_investment(title="Public plant", investor=hidden)
        make_investment(title="Draft plant", published=False)
        rows = csv_rows(client.get(CSV_URL))
        assert [r["title"] for r in rows] == ["Public plant"]
        assert rows[0]["investor"] == ""

    def test_it_lists_the_sources(self, client):
        make_investment(
            sources=[make_source(url="https://a.example/1"), make_source(url="https://b.example/2")]
        )
        row = csv_rows(client.get(CSV_URL))[0]
        assert row["source_urls"] == "https://a.example/1 | https://b.example/2"

    @pytest.mark.parametrize(
        ("params", "name"),
        [
            ({"amount_min": "-5"}, "amount_min"),
            ({"amount_min": "abc"}, "amount_min"),
            ({"origin": "XX"}, "origin"),
            ({"period_from": "2021-13-45"}, "period_from"),
            ({"ordering": "publication"}, "ordering"),
        ],
    )
    def test_it_refuses_invalid_filters_with_a_400(self, client, params, name):
        make_investment()
        for url in (CSV_URL, JSON_URL):
            response = client.get(url, params)
            assert response.status_code == 400
            assert response["Content-Type"].startswith("text/plain")
            assert name in response.content.decode()

    def test_it_ignores_page_numbers(self, client):
        make_investment()
        for page in ("0", "-1", "abc"):
            assert len(csv_rows(client.get(CSV_URL, {"page": page}))) == 1

    def test_it_404s_for_other_formats(self, client):
        assert client.get(reverse("investments:export", args=["xlsx"])).status_code == 404


@pytest.mark.django_db
class TestJson:
    def test_it_writes_meta_and_rows(self, client):
        make_investment(title="ปิโตรเคมี 石油化学", amount=Decimal("1990000000"))
        make_investment(title="Draft", published=False)
        response = client.get(JSON_URL, {"currency": "THB"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        data = json_body(response)
        meta = data["meta"]
        assert meta["source"] == "Partnership Tracker"
        assert meta["url"].endswith(reverse("investments:list") + "?currency=THB")
        assert meta["data_dictionary"].endswith(reverse("site:data_dictionary") + "#investments")
        assert meta["generated"].startswith(str(timezone.localdate().year))
        assert [r["title"] for r in data["rows"]] == ["ปิโตรเคมี 石油化学"]
        assert data["rows"][0]["amount"] == 1990000000
        assert data["rows"][0]["currency"] == "THB"

    def test_it_writes_an_empty_array_for_no_rows(self, client):
        assert json_body(client.get(JSON_URL))["rows"] == []


@pytest.mark.django_db
class TestFigureDownloads:
    def test_it_exports_figures_with_their_period_kind(self, client):
        make_figure(
            share_percent=Decimal(19), rank=1, sources=[make_source(url="https://boi.example/2021")]
        )
        make_figure(period_label="Draft", published=False)
        rows = csv_rows(client.get(FIGURES_CSV))
        assert len(rows) == 1
        row = rows[0]
        assert row["amount_as_reported"] == "67,817 million baht"
        assert row["project_count"] == "125"
        assert row["period_kind"] == "Nine months"
        assert row["share_percent"] == "19"
        assert row["source_urls"] == "https://boi.example/2021"
        data = json_body(client.get(FIGURES_JSON, {"origin": "JP"}))
        assert data["rows"][0]["period_label"] == "Jan–Sep 2021"
        assert data["rows"][0]["project_count"] == 125

    def test_it_applies_the_same_filters_as_the_figures_list(self, client):
        make_figure(
            period_start=date(2020, 1, 1), period_end=date(2020, 12, 31), period_label="2020"
        )
        make_figure()
        rows = csv_rows(client.get(FIGURES_CSV, {"period_from": "2021"}))
        assert [r["period_label"] for r in rows] == ["Jan–Sep 2021"]
        assert client.get(FIGURES_CSV, {"period_to": "2021-02-30"}).status_code == 400


def _bulk_investments(n):
    now = timezone.now()
    Investment.objects.bulk_create(
        (
            Investment(
                title=f"Generated project number {i} โรงงาน 工場",
                slug=f"generated-{i}",
                origin_country="JP",
                destination_country="TH",
                amount=Decimal(1_000_000 + i),
                currency="THB",
                period_start=date(2021, 1, 1),
                period_end=date(2021, 12, 31),
                province="Chonburi",
                description="A generated project description " * 4,
                publication=Publication.PUBLISHED,
                published_at=now,
            )
            for i in range(n)
        ),
        batch_size=2000,
    )


@pytest.mark.slow
@pytest.mark.django_db
class TestStreaming:
    N = 20_000

    def _peak_while_streaming(self, response):
        tracemalloc.start()
        rows = 0
        try:
            for chunk in response.streaming_content:
                rows += chunk.count(b"\n")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return rows, peak

    def _peak_loading_everything(self):
        tracemalloc.start()
        try:
            rows = list(Investment.objects.published().values())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert len(rows) == self.N
        return peak

    def test_it_streams_a_large_csv_in_bounded_memory(self, client):
        _bulk_investments(self.N)
        everything = self._peak_loading_everything()
        response = client.get(CSV_URL)
        assert response.streaming
        rows, peak = self._peak_while_streaming(response)
        assert rows == self.N + 1
        assert peak < everything / 3
        assert peak < 12 * 1024 * 1024

    def test_it_streams_a_large_json_in_bounded_memory(self, client):
        _bulk_investments(self.N)
        everything = self._peak_loading_everything()
        response = client.get(JSON_URL)
        rows, peak = self._peak_while_streaming(response)
        assert rows >= self.N
        assert peak < everything / 3
        assert peak < 12 * 1024 * 1024
