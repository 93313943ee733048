"""Imports of thousands of rows, and the rules that keep an import from damaging a record:
a constant number of queries, exports that import back unchanged, text that starts with "-"
or "+", sources an empty cell does not remove, slugs made for blank cells, investors added as
drafts on request, and uploads that do not pile up."""

import csv
import io
import os
import tarfile
import time
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.core.backup import MEDIA_FILE, backup
from partnership.core.spreadsheets.uploads import UPLOAD_FOLDER, upload_storage
from partnership.investments.models import Investment, InvestmentFigure
from partnership.investments.resources import InvestmentResource
from partnership.organizations.models import Organization
from tests import factories as f
from tests.test_imports import (
    confirm,
    csv_bytes,
    figure_row,
    import_file,
    import_types,
    investment_row,
    make_world,
    page_errors,
    refused,
    row_errors,
    snapshot,
    upload,
    url,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads wait for confirmation in the default storage: keep them out of the project."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(db):
    return make_world()


def rows(world, count, start=0, prefix="plant", **values):
    return [
        investment_row(world, slug=f"{prefix}-{n}", title=f"{prefix} {n}", **values)
        for n in range(start, start + count)
    ]


def queries_of(step):
    with CaptureQueriesContext(connection) as queries:
        result = step()
    return result, len(queries)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# Thousands of rows ------------------------------------------------------------------------


def mixed_rows(world, count, prefix):
    """`count` rows, a fifth of them updating existing records (old-0, old-1 …)."""
    updates = [
        investment_row(world, slug=f"old-{n}", title=f"{prefix} plant {n}")
        for n in range(count // 5)
    ]
    return updates + rows(world, count - len(updates), prefix=prefix)


@pytest.mark.slow
def test_an_import_of_five_batches_costs_a_few_queries_a_batch_more_than_one(
    admin_client, world, monkeypatch
):
    """Preview and confirmation each read the file's references once and write a batch of
    rows with a few queries: five batches cost what one does plus a few per batch. Batches
    of 100 rows here (1,000 on the site), so that 500 rows stand for 5,000."""
    monkeypatch.setattr(InvestmentResource._meta, "batch_size", 100)
    for n in range(100):
        f.make_investment(slug=f"old-{n}", title=f"Old plant {n}", sources=[world["source"]])

    def run(count, prefix):
        data = csv_bytes(mixed_rows(world, count, prefix))
        preview, previewing = queries_of(lambda: upload(admin_client, Investment, data))
        assert preview.context.get("confirm_form") is not None, page_errors(preview)
        response, confirming = queries_of(lambda: confirm(admin_client, Investment, preview))
        return preview, response, previewing, confirming

    _, _, small_previewing, small_confirming = run(100, "small")
    preview, response, previewing, confirming = run(500, "large")
    assert preview.context["result"].totals["new"] == 400
    assert "Import finished: 400 new (as drafts), 100 updated" in " ".join(messages_of(response))
    assert Investment.objects.count() == 100 + 80 + 400
    # Four more batches: a handful of queries each (insert, history, links; update, history,
    # links), never one per row.
    assert 4 <= previewing - small_previewing <= 4 * 6
    assert 4 <= confirming - small_confirming <= 4 * 6
    assert previewing <= 60, previewing
    assert confirming <= 80, confirming  # PostgreSQL adds a few savepoints


def test_the_query_count_does_not_grow_with_the_rows(admin_client, world):
    """The same pin on a small scale, for every run of the fast suite. A first import of
    one row reads what is read once a process (content types, kept in memory after), so
    that the pin does not hang on which test ran before."""
    counts = []
    for count in (1, 3, 30):
        data = csv_bytes(rows(world, count, start=len(counts) * 100))
        preview, previewing = queries_of(lambda d=data: upload(admin_client, Investment, d))
        _, confirming = queries_of(lambda p=preview: confirm(admin_client, Investment, p))
        counts.append((previewing, confirming))
    assert counts[1] == counts[2]


def test_the_benchmark_command_runs_the_admin_import_and_rolls_back(superuser, world):
    before = snapshot(Investment)
    out = StringIO()
    call_command("benchimport", "--rows", "40", stdout=out)
    text = out.getvalue()
    for step in ("Preview", "Confirm", "Publish"):
        assert step in text
    assert "queries" in text
    assert "Import finished: 32 new (as drafts), 8 updated" in text
    assert "Rolled back" in text
    assert snapshot(Investment) == before


# Export → import -----------------------------------------------------------------------------


def test_an_unchanged_export_imports_back_as_a_no_op(admin_client, world):
    """Text a spreadsheet would run is quoted in the export and unquoted on import, so
    nothing looks changed; the investor's name and every other column read back as they
    were written."""
    for slug, title, province in [
        ("minus", "-10% lower than announced", "+66 Chonburi"),
        ("formula", '=HYPERLINK("http://evil")', "@home"),
        ("plain", "Battery plant", "Rayong"),
    ]:
        f.make_investment(
            slug=slug,
            title=title,
            province=province,
            description="-- see the note",
            investor=world["investor"],
            sector=world["sector"],
            sources=[world["source"], world["other_source"]],
        )
    for fmt, name in (("0", "investments.csv"), ("1", "investments.xlsx")):
        exported = admin_client.post(url(Investment, "export"), {"format": fmt, "resource": "0"})
        before = snapshot(Investment)
        preview = upload(admin_client, Investment, exported.content, name)
        assert import_types(preview) == ["skip", "skip", "skip"], page_errors(preview)
        assert "No row changes anything" in preview.text
        confirm(admin_client, Investment, preview)
        assert snapshot(Investment) == before
    assert Investment.objects.get(slug="minus").title == "-10% lower than announced"


def test_exported_figures_import_back_unchanged(admin_client, world):
    f.make_figure(
        note="+5% on the year before", reported_by=world["boi"], sources=[world["source"]]
    )
    exported = admin_client.post(url(InvestmentFigure, "export"), {"format": "0", "resource": "0"})
    assert b"'+5% on the year before" in exported.content
    preview = upload(admin_client, InvestmentFigure, exported.content)
    assert import_types(preview) == ["skip"], page_errors(preview)


# Text starting with - or + -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("-10% lower than announced", "-10% lower than announced"),
        ("+15% on 2023", "+15% on 2023"),
        ("'-10% lower than announced", "-10% lower than announced"),
        ("'=SUM(A1)", "=SUM(A1)"),
        ("'@home", "@home"),
        ("'Tis the season", "'Tis the season"),
    ],
)
def test_it_keeps_text_that_starts_with_minus_or_plus(admin_client, world, cell, stored):
    import_file(admin_client, Investment, csv_bytes([investment_row(world, uncertainty=cell)]))
    assert Investment.objects.get().uncertainty == stored


@pytest.mark.parametrize(("cell", "first"), [("=1+1", "“=”"), ("@SUM(A1)", "“@”")])
def test_it_still_refuses_a_formula_in_text(admin_client, world, cell, first):
    response = refused(admin_client, Investment, csv_bytes([investment_row(world, title=cell)]))
    assert f"starts with {first}" in row_errors(response)[(2, "title")]


# Sources --------------------------------------------------------------------------------------


def test_an_empty_sources_cell_is_refused_for_a_record_with_sources(admin_client, world):
    record = f.make_investment(slug="ev-battery-plant", sources=[world["source"]])
    response = refused(admin_client, Investment, csv_bytes([investment_row(world, sources="")]))
    message = row_errors(response)[(2, "sources")]
    assert "would remove every one of the record's sources" in message
    assert f"(numbers {world['source'].pk})" in message
    assert "write - to remove them all" in message
    assert list(record.sources.all()) == [world["source"]]


def test_a_dash_removes_every_source_on_purpose(admin_client, world):
    record = f.make_investment(slug="ev-battery-plant", published=False)
    record.sources.add(world["source"])
    preview, _ = import_file(
        admin_client, Investment, csv_bytes([investment_row(world, sources="-")])
    )
    assert import_types(preview) == ["update"]
    assert not record.sources.exists()


def test_an_empty_sources_cell_is_fine_where_there_are_none(admin_client, world):
    f.make_investment(slug="old", title="Old", published=False)
    data = csv_bytes(
        [
            investment_row(world, sources=""),
            investment_row(world, slug="old", title="Old", sources=""),
        ]
    )
    preview, _ = import_file(admin_client, Investment, data)
    assert import_types(preview) == ["new", "update"]
    assert not Investment.objects.get(slug="ev-battery-plant").sources.exists()


def test_it_replaces_changed_sources_and_keeps_unchanged_ones(admin_client, world):
    kept = f.make_investment(slug="kept", title="Kept", sources=[world["source"]])
    changed = f.make_investment(slug="changed", title="Changed", sources=[world["source"]])
    data = csv_bytes(
        [
            investment_row(world, slug="kept", title="Kept", sources=str(world["source"].pk)),
            investment_row(
                world, slug="changed", title="Changed", sources="https://example.org/news"
            ),
        ]
    )
    import_file(admin_client, Investment, data)
    assert list(kept.sources.all()) == [world["source"]]
    assert list(changed.sources.all()) == [world["other_source"]]


# Slugs ----------------------------------------------------------------------------------------


def test_it_makes_slugs_for_blank_cells_from_the_title(admin_client, world):
    f.make_investment(slug="battery-plant", title="Battery plant")
    data = csv_bytes(
        [
            investment_row(world, slug="", title="Battery plant"),
            investment_row(world, slug="", title="Battery plant"),
            investment_row(world, slug="", title="Wire harness plant, Rayong"),
            investment_row(world, slug="", title="電気自動車"),
        ]
    )
    preview, _ = import_file(admin_client, Investment, data)
    assert import_types(preview) == ["new"] * 4
    assert "4 row(s) have no slug" in preview.text
    assert "row 2 (battery-plant-2), row 3 (battery-plant-3)" in preview.text
    assert set(Investment.objects.values_list("slug", flat=True)) == {
        "battery-plant",
        "battery-plant-2",
        "battery-plant-3",
        "wire-harness-plant-rayong",
        "investment",
    }


def test_an_export_of_imported_rows_matches_them_by_their_made_slugs(admin_client, world):
    import_file(admin_client, Investment, csv_bytes([investment_row(world, slug="")]))
    exported = admin_client.post(url(Investment, "export"), {"format": "0", "resource": "0"})
    assert b"battery-modules-for-electric-vehicles" in exported.content
    preview = upload(admin_client, Investment, exported.content)
    assert import_types(preview) == ["skip"]


# Investors ------------------------------------------------------------------------------------


def test_it_adds_an_investor_as_a_draft_when_the_file_asks(admin_client, world):
    data = csv_bytes(
        [
            investment_row(world, investor="", investor_name="Acme Motors", create_investor="yes"),
            investment_row(
                world, slug="second", investor="acme-motors", investor_name="", create_investor="no"
            ),
            investment_row(
                world, slug="third", investor="denso", investor_name="Denso", create_investor="yes"
            ),
            investment_row(
                world,
                slug="fourth",
                origin_country="KR",
                investor="hanwha",
                investor_name="Hanwha",
                create_investor="y",
            ),
        ]
    )
    preview = upload(admin_client, Investment, data)
    assert (
        "2 investor(s) will be added as draft organizations: Acme Motors (acme-motors), Hanwha (hanwha)"
        in preview.text
    )
    assert "acme-motors (new, draft)" in preview.text
    assert not Organization.objects.filter(slug="acme-motors").exists()
    confirm(admin_client, Investment, preview)
    acme = Organization.objects.get(slug="acme-motors")
    assert not acme.is_published
    assert (acme.name, acme.kind, acme.country.code) == ("Acme Motors", "company", "JP")
    assert Organization.objects.get(slug="hanwha").country.code == "KR"
    assert acme.history.get().history_user.username == "admin"
    assert Investment.objects.get(slug="ev-battery-plant").investor == acme
    assert Investment.objects.get(slug="second").investor == acme
    assert Investment.objects.get(slug="third").investor == world["investor"]
    assert Organization.objects.count() == 4


def test_an_unknown_investor_says_how_to_add_it(admin_client, world):
    response = refused(
        admin_client, Investment, csv_bytes([investment_row(world, investor="acme")])
    )
    message = row_errors(response)[(2, "investor")]
    assert "No organization has the slug “acme”" in message
    assert "write yes in create_investor and the investor's name in investor_name" in message


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"investor": "acme", "investor_name": ""}, "investor_name", "Give the name"),
        ({"investor": "Acme Motors!", "investor_name": "Acme"}, "investor", "cannot be the new"),
        ({"investor": "acme", "investor_name": "x" * 201}, "investor_name", "at most 200"),
        ({"create_investor": "perhaps"}, "create_investor", "neither yes nor no"),
    ],
)
def test_it_refuses_an_investor_it_cannot_add(admin_client, world, values, column, message):
    row = investment_row(world, **{"create_investor": "yes", **values})
    response = refused(admin_client, Investment, csv_bytes([row]))
    assert message in row_errors(response)[(2, column)]
    assert Organization.objects.count() == 2


# The preview ----------------------------------------------------------------------------------


def test_the_preview_shows_amounts_as_people_read_them_and_each_change(admin_client, world):
    f.make_investment(slug="old-plant", title="Old plant", amount=Decimal(5_000_000_000))
    data = csv_bytes(
        [
            investment_row(world),
            investment_row(world, slug="old-plant", title="Old plant", amount="5620000000"),
        ]
    )
    preview = upload(admin_client, Investment, data)
    assert "3,062 million baht" in preview.text
    assert "5620000000" not in preview.text
    assert "5,000 million baht</del> → <ins>5,620 million baht" in preview.text
    assert '<td class="changed">5,620 million baht</td>' in preview.text
    assert 'class="import-preview-scroll"' in preview.text


def test_the_preview_lists_at_most_200_changing_rows(admin_client, world, monkeypatch):
    monkeypatch.setattr("partnership.core.spreadsheets.admin.PREVIEW_ROWS", 3)
    preview = upload(admin_client, Investment, csv_bytes(rows(world, 5)))
    assert len(preview.context["preview_rows"]) == 3
    assert "the first 3 of the 5 rows that would change are listed" in preview.text


# Import batches -------------------------------------------------------------------------------


def test_it_records_which_import_added_or_changed_a_row(admin_client, world):
    unchanged = f.make_investment(slug="same", title="Same", province="", sources=[world["source"]])
    import_file(admin_client, Investment, csv_bytes(rows(world, 2)), "first.csv")
    batch = Investment.objects.get(slug="plant-0").import_batch
    assert batch.endswith(" first.csv")
    unchanged.refresh_from_db()
    assert unchanged.import_batch == ""
    assert Investment.history.filter(import_batch=batch).count() == 2
    assert Investment.history.filter(history_change_reason="Imported from first.csv").count() == 2


# Uploaded files -------------------------------------------------------------------------------


def uploads():
    storage = upload_storage()
    if not storage.exists(UPLOAD_FOLDER):
        return []
    return storage.listdir(UPLOAD_FOLDER)[1]


def test_the_upload_is_deleted_once_the_import_is_confirmed(admin_client, world):
    preview = upload(admin_client, Investment, csv_bytes([investment_row(world)]))
    assert len(uploads()) == 1
    confirm(admin_client, Investment, preview)
    assert uploads() == []


def test_a_refused_upload_is_not_kept(admin_client, world):
    refused(admin_client, Investment, csv_bytes([investment_row(world, stage="dreaming")]))
    assert uploads() == []


def test_a_failed_confirmation_deletes_the_upload(admin_client, world):
    preview = upload(admin_client, Investment, csv_bytes([investment_row(world)]))
    world["sector"].delete()
    confirm(admin_client, Investment, preview)
    assert uploads() == []


def test_the_confirmation_reads_only_uploads(admin_client, world, settings):
    storage = upload_storage()
    storage.save("documents/keep.csv", ContentFile(csv_bytes([investment_row(world)])))
    response = admin_client.post(
        url(Investment, "process_import"),
        {"import_file_name": "../documents/keep.csv", "original_file_name": "a.csv", "format": "0"},
        follow=True,
    )
    assert any("no longer available" in m for m in messages_of(response))
    assert storage.exists("documents/keep.csv")
    assert not Investment.objects.exists()


def age(name, days):
    path = upload_storage().path(f"{UPLOAD_FOLDER}/{name}")
    stamp = time.time() - timedelta(days=days).total_seconds()
    os.utime(path, (stamp, stamp))


def test_uploads_older_than_a_day_are_deleted(admin_client, world):
    storage = upload_storage()
    old, recent = "a" * 32, "b" * 32
    for name in (old, recent):
        storage.save(f"{UPLOAD_FOLDER}/{name}", ContentFile(b"slug\n"))
    age(old, 2)
    out = StringIO()
    call_command("cleanimports", "--dry-run", stdout=out)
    assert f"Would delete {old}" in out.getvalue()
    assert sorted(uploads()) == [old, recent]
    call_command("cleanimports", stdout=out)
    assert "Deleted 1 upload(s) older than 24 hours." in out.getvalue()
    assert uploads() == [recent]
    age(recent, 3)
    upload(admin_client, Investment, csv_bytes([investment_row(world)]))  # a preview cleans too
    assert recent not in uploads()


def test_backups_leave_pending_imports_out(db, settings, tmp_path):
    storage = upload_storage()
    storage.save(f"{UPLOAD_FOLDER}/{'c' * 32}", ContentFile(b"slug\n"))
    storage.save("documents/kept.pdf", ContentFile(b"%PDF-1.4"))
    backup(tmp_path / "backup")
    with tarfile.open(tmp_path / "backup" / MEDIA_FILE) as tar:
        names = tar.getnames()
    assert "media/documents/kept.pdf" in names
    assert not any(UPLOAD_FOLDER in name for name in names)


# Figures --------------------------------------------------------------------------------------


def test_figures_get_their_page_address_when_imported_in_bulk(admin_client, world):
    f.make_figure(
        period_label="2023", period_start=None, period_end=None, slug="jp-th-applications-2023"
    )
    data = csv_bytes([figure_row(world), figure_row(world, reported_by="", rank="")])
    import_file(admin_client, InvestmentFigure, data)
    slugs = set(InvestmentFigure.objects.values_list("slug", flat=True))
    assert slugs == {
        "jp-th-applications-2023",
        "jp-th-applications-2023-2",
        "jp-th-applications-2023-3",
    }


def test_the_import_csv_round_trip_keeps_the_column_layout(admin_client, world):
    f.make_investment(slug="x", investor=world["investor"], sources=[world["source"]])
    exported = admin_client.post(url(Investment, "export"), {"format": "0", "resource": "0"})
    header = next(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert header[:5] == ["slug", "title", "investor", "investor_name", "create_investor"]
    row = next(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert (row["investor_name"], row["create_investor"]) == ("Denso", "")


@pytest.mark.parametrize("number", ["9223372036854775808", "99999999999999999999999", "²"])
def test_a_source_number_no_database_could_hold_is_a_message(db, number):
    from partnership.core.spreadsheets.widgets import SourcesWidget

    widget = SourcesWidget()
    widget.prefetch([number])
    with pytest.raises(ValueError, match="source"):
        widget.clean(number)
