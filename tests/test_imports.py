"""Spreadsheet import and export of investments and reported figures in the admin.

A good file previews row by row and writes nothing until confirmed; a bad file gets a clear
message and writes nothing; the same file twice changes nothing; exports neutralise formulas.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnership.core.models import Publication
from partnership.core.spreadsheets.cells import MAX_CELL_CHARS
from partnership.core.spreadsheets.readers import read_csv
from partnership.investments.models import Investment, InvestmentFigure
from partnership.investments.resources import (
    FIGURE_COLUMNS,
    INVESTMENT_COLUMNS,
    InvestmentFigureResource,
    InvestmentResource,
)
from tests import factories as f

INVESTMENT_HEADER = [c.name for c in INVESTMENT_COLUMNS if c.name != "publication"]
# The columns of `investment_row()`, in its order.
ROW_HEADER = [c.name for c in INVESTMENT_COLUMNS if c.stored and not c.readonly]
FIGURE_HEADER = [c.name for c in FIGURE_COLUMNS if c.name != "publication"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploads wait for confirmation in the default storage: keep them out of the project."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(db):
    return make_world()


def make_world():
    """The records an import file names: an investor, a reporting body, a sector, sources."""
    return {
        "investor": f.make_organization(slug="denso", name="Denso"),
        "boi": f.make_organization(slug="thailand-board-of-investment", name="BOI"),
        "sector": f.make_sector(slug="automotive-parts", name="Automotive parts"),
        "source": f.make_source(url="https://example.org/boi-2024"),
        "other_source": f.make_source(url="https://example.org/news"),
    }


def url(model, view, *args):
    return reverse(f"admin:investments_{model._meta.model_name}_{view}", args=args)


def investment_row(world, **values):
    row = {
        "slug": "ev-battery-plant",
        "title": "Battery modules for electric vehicles",
        "investor": "denso",
        "origin_country": "JP",
        "destination_country": "TH",
        "sector": "automotive-parts",
        "stage": "applied",
        "amount": "3062000000",
        "currency": "THB",
        "amount_unit": "million",
        "period_start": "2024-01-01",
        "period_end": "2024-06-30",
        "period_label": "Jan–Jun 2024",
        "province": "Chonburi",
        "description": "Modules for hybrid and electric cars.",
        "uncertainty": "",
        "sources": f"{world['source'].pk}; https://example.org/news",
    }
    row.update(values)
    return row


def figure_row(world, **values):
    row = {
        "origin_country": "Japan",
        "destination_country": "th",
        "basis": "Applications",
        "reported_by": "thailand-board-of-investment",
        "period_start": "2023-01-01",
        "period_end": "2023-12-31",
        "project_count": "120",
        "amount": "50,000,000,000",
        "currency": "thb",
        "amount_unit": "1000000",
        "share_percent": "19.5%",
        "rank": "1",
        "period_label": "2023",
        "note": "Japan was the largest source.",
        "uncertainty": "",
        "sources": str(world["source"].pk),
    }
    row.update(values)
    return row


def csv_bytes(rows, header=None, bom=True, encoding="utf-8"):
    header = header or list(rows[0])
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, header=None):
    header = header or list(rows[0])
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(name, "") for name in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, model, data, name="records.csv"):
    """The first step: the dry run. Returns the response of the import page."""
    return client.post(
        url(model, "import"),
        {"import_file": SimpleUploadedFile(name, data), "resource": "0"},
    )


def confirm(client, model, response, follow=True):
    form = response.context["confirm_form"]
    data = {key: form.initial[key] for key in ("import_file_name", "original_file_name")}
    data.update({"format": form.initial["format"], "resource": form.initial.get("resource", "")})
    return client.post(url(model, "process_import"), data, follow=follow)


def import_file(client, model, data, name="records.csv"):
    preview = upload(client, model, data, name)
    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is not None, page_errors(preview)
    return preview, confirm(client, model, preview)


def page_errors(response):
    result = response.context.get("result")
    form = response.context.get("form")
    errors = []
    if form is not None and form.errors:
        errors.append(dict(form.errors))
    if result is not None:
        errors += [str(e.error) for e in result.base_errors]
        errors += [(r.number, r.error_dict) for r in result.invalid_rows]
    return errors


def import_types(response):
    return [row.import_type for row in response.context["result"].valid_rows()]


def snapshot(model):
    return sorted(model.objects.values_list("pk", "updated_at"))


# Good files ---------------------------------------------------------------------------------


def test_it_previews_a_csv_then_writes_drafts_on_confirm(admin_client, world):
    existing = f.make_investment(slug="old-plant", title="Old plant", amount=Decimal(5))
    rows = [
        investment_row(world),
        investment_row(world, slug="old-plant", title="Old plant, extended", amount="7000000"),
    ]
    preview = upload(admin_client, Investment, csv_bytes(rows))
    assert preview.status_code == 200
    assert import_types(preview) == ["new", "update"]
    assert "New (draft)" in preview.text
    assert "Update" in preview.text
    assert "1 new (as drafts) · 1 to update · 0 unchanged" in preview.text
    assert not Investment.objects.filter(slug="ev-battery-plant").exists()  # a dry run
    existing.refresh_from_db()
    assert existing.title == "Old plant"

    response = confirm(admin_client, Investment, preview)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert "Import finished: 1 new (as drafts), 1 updated, 0 unchanged investments." in messages

    created = Investment.objects.get(slug="ev-battery-plant")
    assert created.publication == Publication.DRAFT
    assert created.published_at is None
    assert created.investor == world["investor"]
    assert created.sector == world["sector"]
    assert created.origin_country.code == "JP"
    assert created.amount == Decimal(3062000000)
    assert created.amount_unit == 1_000_000
    assert created.period_start == date(2024, 1, 1)
    assert set(created.sources.all()) == {world["source"], world["other_source"]}
    existing.refresh_from_db()
    assert existing.title == "Old plant, extended"
    assert existing.publication == Publication.PUBLISHED  # an update never unpublishes
    assert existing.amount == Decimal(7_000_000)


def test_it_imports_an_xlsx_of_figures(admin_client, world):
    rows = [figure_row(world), figure_row(world, basis="pledge", project_count="", rank="")]
    data = xlsx_bytes(rows)
    preview = upload(admin_client, InvestmentFigure, data, name="figures.xlsx")
    assert import_types(preview) == ["new", "new"], page_errors(preview)
    assert not InvestmentFigure.objects.exists()

    confirm(admin_client, InvestmentFigure, preview)
    figure = InvestmentFigure.objects.get(basis="applications")
    assert figure.publication == Publication.DRAFT
    assert figure.origin_country.code == "JP"
    assert figure.destination_country.code == "TH"
    assert figure.amount == Decimal(50_000_000_000)
    assert figure.currency == "THB"
    assert figure.share_percent == Decimal("19.5")
    assert figure.reported_by == world["boi"]
    assert list(figure.sources.all()) == [world["source"]]
    assert InvestmentFigure.objects.get(basis="pledge").project_count is None


def test_it_reads_native_xlsx_numbers_and_dates(admin_client, world):
    book = openpyxl.Workbook()
    sheet = book.active
    row = investment_row(world)
    sheet.append(list(row))
    values = list(row.values())
    values[ROW_HEADER.index("amount")] = 3062000000
    values[ROW_HEADER.index("period_start")] = date(2024, 1, 1)
    sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    import_file(admin_client, Investment, out.getvalue(), "investments.xlsx")
    created = Investment.objects.get(slug="ev-battery-plant")
    assert created.amount == Decimal(3062000000)
    assert created.period_start == date(2024, 1, 1)


def test_it_accepts_a_csv_without_a_byte_order_mark_and_headers_in_words(admin_client, world):
    row = investment_row(world)
    header = [name.replace("_", " ").title() for name in row]
    data = csv_bytes([row], bom=False).split(b"\r\n", 1)[1]
    data = ",".join(header).encode() + b"\r\n" + data
    import_file(admin_client, Investment, data)
    assert Investment.objects.filter(slug="ev-battery-plant").exists()


def test_it_changes_nothing_when_the_same_file_comes_twice(admin_client, world):
    data = csv_bytes([investment_row(world), investment_row(world, slug="second", title="B")])
    import_file(admin_client, Investment, data)
    before = snapshot(Investment)
    sources_before = list(Investment.sources.through.objects.values_list("pk", flat=True))

    preview, response = import_file(admin_client, Investment, data)
    assert import_types(preview) == ["skip", "skip"]
    assert "2 unchanged" in preview.text
    assert "No row changes anything" in preview.text
    assert "confirming changes nothing" in preview.text
    messages = [str(m) for m in response.context["messages"]]
    assert "Import finished: 0 new (as drafts), 0 updated, 2 unchanged investments." in messages
    assert snapshot(Investment) == before
    assert list(Investment.sources.through.objects.values_list("pk", flat=True)) == sources_before


def test_it_changes_nothing_when_the_same_figures_come_twice(admin_client, world):
    data = xlsx_bytes([figure_row(world), figure_row(world, reported_by="", rank="")])
    import_file(admin_client, InvestmentFigure, data, "figures.xlsx")
    before = snapshot(InvestmentFigure)
    preview, _ = import_file(admin_client, InvestmentFigure, data, "figures.xlsx")
    assert import_types(preview) == ["skip", "skip"]
    assert snapshot(InvestmentFigure) == before


def test_it_matches_figures_on_their_key(admin_client, world):
    figure = f.make_figure(
        reported_by=world["boi"],
        period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31),
        project_count=1,
    )
    preview, _ = import_file(admin_client, InvestmentFigure, csv_bytes([figure_row(world)]))
    assert import_types(preview) == ["update"]
    figure.refresh_from_db()
    assert figure.project_count == 120
    assert figure.is_published
    assert InvestmentFigure.objects.count() == 1


def test_it_keeps_a_published_record_published_and_says_so(admin_client, world):
    published = f.make_investment(slug="ev-battery-plant", title="Old title")
    first = published.published_at
    data = csv_bytes([{**investment_row(world), "publication": "published"}])
    preview, _ = import_file(admin_client, Investment, data)
    assert "changes to a published record are public once you confirm" in preview.text
    published.refresh_from_db()
    assert published.is_published
    assert published.published_at == first
    assert published.title == "Battery modules for electric vehicles"


def test_it_refuses_to_publish_or_unpublish_through_a_file(admin_client, world):
    f.make_investment(slug="ev-battery-plant", published=False)
    before = snapshot(Investment)
    data = csv_bytes([{**investment_row(world), "publication": "published"}])
    response = upload(admin_client, Investment, data)
    assert "confirm_form" not in response.context
    assert "An import cannot make this record published" in response.text
    assert snapshot(Investment) == before


# Exports and templates ----------------------------------------------------------------------


def test_it_exports_csv_with_formulas_neutralised(admin_client, world):
    f.make_investment(
        slug="formula",
        title='=HYPERLINK("http://evil")',
        province="+cmd",
        investor=world["investor"],
        sources=[world["source"]],
    )
    f.make_investment(slug="plain", title="Plain", published=False)
    response = admin_client.post(url(Investment, "export"), {"format": "0", "resource": "0"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_slug = {row["slug"]: row for row in rows}
    assert set(by_slug) == {"formula", "plain"}
    assert by_slug["formula"]["title"] == '\'=HYPERLINK("http://evil")'
    assert by_slug["formula"]["province"] == "'+cmd"
    assert by_slug["formula"]["investor"] == "denso"
    assert by_slug["formula"]["amount"] == "1000000000"
    assert by_slug["formula"]["sources"] == str(world["source"].pk)
    assert by_slug["plain"]["publication"] == "draft"


def test_it_exports_xlsx_with_formulas_as_text(admin_client, world):
    f.make_figure(note="@SUM(A1:A9)", reported_by=world["boi"])
    response = admin_client.post(url(InvestmentFigure, "export"), {"format": "1", "resource": "0"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert values["note"] == "'@SUM(A1:A9)"
    assert sheet.cell(2, header.index("note") + 1).data_type == "s"
    assert values["amount"] == 67_817_000_000
    assert values["reported_by"] == "thailand-board-of-investment"


def test_an_export_imports_back_unchanged(admin_client, world):
    record = f.make_investment(
        slug="round-trip", investor=world["investor"], sector=world["sector"]
    )
    record.sources.add(world["source"])
    exported = admin_client.post(url(Investment, "export"), {"format": "0", "resource": "0"})
    before = snapshot(Investment)
    preview, _ = import_file(admin_client, Investment, exported.content)
    assert import_types(preview) == ["skip"]
    assert snapshot(Investment) == before


@pytest.mark.parametrize("model", [Investment, InvestmentFigure])
def test_it_links_the_column_layout_and_templates_from_the_import_page(admin_client, db, model):
    page = admin_client.get(url(model, "import"))
    assert page.status_code == 200
    for link in (
        url(model, "import_columns"),
        url(model, "import_template", "csv"),
        url(model, "import_template", "xlsx"),
    ):
        assert f'href="{link}"' in page.text
    columns = admin_client.get(url(model, "import_columns"))
    assert columns.status_code == 200
    for column in columns.context["columns"]:
        assert f"<code>{column.name}</code>" in columns.text
    assert "Column required; cell may be empty" in columns.text or model is Investment


@pytest.mark.parametrize(
    ("model", "columns"), [(Investment, INVESTMENT_COLUMNS), (InvestmentFigure, FIGURE_COLUMNS)]
)
def test_it_offers_template_files_that_import(admin_client, demo, model, columns):
    csv_file = admin_client.get(url(model, "import_template", "csv"))
    assert csv_file.status_code == 200
    assert "attachment" in csv_file["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert rows[0] == [c.name for c in columns]
    assert len(rows) == 2

    xlsx_file = admin_client.get(url(model, "import_template", "xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(xlsx_file.content))
    assert [c.value for c in book.worksheets[0][1]] == [c.name for c in columns]
    assert book.worksheets[1].title == "Columns"

    count = model.objects.count()
    preview = upload(admin_client, model, xlsx_file.content, "template.xlsx")
    assert import_types(preview) == ["new"], page_errors(preview)
    preview = upload(admin_client, model, csv_file.content, "template.csv")
    assert import_types(preview) == ["new"], page_errors(preview)
    assert model.objects.count() == count


# Bad files ----------------------------------------------------------------------------------


def refused(client, model, data, name="records.csv"):
    """Upload, expect no confirmation, and return the page text."""
    before = snapshot(model)
    response = upload(client, model, data, name)
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    assert snapshot(model) == before
    return response


def form_error(response):
    return " ".join(str(e) for e in response.context["form"].errors.get("import_file", []))


def row_errors(response):
    return {
        (row.number, column): " ".join(messages)
        for row in response.context["result"].invalid_rows
        for column, messages in row.error_dict.items()
    }


def test_it_refuses_a_latin1_file(admin_client, world):
    row = investment_row(world, title="Café économique", period_label="2024")
    data = csv_bytes([row], bom=False, encoding="latin-1")
    response = refused(admin_client, Investment, data)
    assert "The file is not UTF-8 text" in form_error(response)
    assert "CSV UTF-8" in response.text


def test_it_refuses_a_shift_jis_file(admin_client, world):
    row = investment_row(world, title="電気自動車", period_label="2024")
    data = csv_bytes([row], bom=False, encoding="shift_jis")
    response = refused(admin_client, Investment, data)
    assert "The file is not UTF-8 text" in form_error(response)


def test_it_refuses_utf16(admin_client, world):
    data = csv_bytes([investment_row(world)], bom=False).decode().encode("utf-16")
    assert "UTF-16" in form_error(refused(admin_client, Investment, data))


def test_it_reads_a_byte_order_mark_as_utf8(world):
    data = csv_bytes([investment_row(world, title="ไทย 日本")], bom=True)
    dataset = read_csv(data)
    assert dataset.headers[0] == "slug"
    assert dataset.dict[0]["title"] == "ไทย 日本"


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n"])
def test_it_refuses_an_empty_file(admin_client, world, data):
    response = refused(admin_client, Investment, data)
    assert "empty" in form_error(response)


def test_it_refuses_a_header_without_rows(admin_client, world):
    data = ",".join(INVESTMENT_HEADER).encode()
    assert "no rows to import" in form_error(refused(admin_client, Investment, data))


def test_it_refuses_a_csv_posing_as_xlsx_and_the_reverse(admin_client, world):
    response = refused(admin_client, Investment, csv_bytes([investment_row(world)]), "a.xlsx")
    assert "not an Excel workbook" in form_error(response)
    response = refused(admin_client, Investment, xlsx_bytes([investment_row(world)]), "a.csv")
    assert "choose the format xlsx" in form_error(response)


def test_it_refuses_missing_columns(admin_client, world):
    row = investment_row(world)
    del row["title"], row["currency"]
    response = refused(admin_client, Investment, csv_bytes([row]))
    assert "The file lacks required columns: title, currency." in response.text


def test_it_refuses_extra_columns_and_names_them(admin_client, world):
    row = {**investment_row(world), "colour": "red", "Notes to self": "x"}
    response = refused(admin_client, Investment, csv_bytes([row]))
    assert "columns this import does not know: colour, notes_to_self" in response.text


def test_it_refuses_a_value_outside_the_named_columns(admin_client, world):
    data = csv_bytes([investment_row(world)]) + b",,,,,,,,,,,,,,,,,stray\r\n"
    response = refused(admin_client, Investment, data)
    assert "Row 3 has a value to the right of the last named column" in form_error(response)


def test_it_refuses_semicolon_separated_files(admin_client, world):
    data = ";".join(INVESTMENT_HEADER).encode() + b"\r\na;b\r\n"
    assert "separate columns with commas" in form_error(refused(admin_client, Investment, data))


def test_it_refuses_the_same_record_twice_in_a_file(admin_client, world):
    data = csv_bytes([investment_row(world), investment_row(world, slug="EV-Battery-Plant")])
    response = refused(admin_client, Investment, data)
    assert "Rows 2 and 3 are the same record (slug)" in response.text


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"sector": "spaceships"}, "sector", "No sector has the slug “spaceships”"),
        ({"investor": "acme"}, "investor", "No organization has the slug “acme”"),
        ({"origin_country": "Atlantis"}, "origin_country", "“Atlantis” is not a country"),
        ({"destination_country": "XX"}, "destination_country", "is not a country"),
        ({"amount": "-5"}, "amount", "The amount cannot be negative."),
        ({"amount": "about 3 billion"}, "amount", "is not a plain amount"),
        ({"amount": "3062"}, "amount", "less than one million: write it in full"),
        ({"currency": "BTC"}, "currency", "is not a currency this site knows"),
        ({"currency": ""}, "currency", "This field cannot be blank."),
        ({"amount_unit": "lakh"}, "amount_unit", "is not a unit"),
        ({"stage": "dreaming"}, "stage", "is not one of: announced, applied"),
        ({"period_start": "13/01/2022"}, "period_start", "not a date written YYYY-MM-DD"),
        ({"period_end": "2023-02-30"}, "period_end", "is not a day of the calendar"),
        ({"period_end": "2023-12-31"}, "period_end", "must end on or after the day it starts"),
        ({"title": ""}, "title", "This field cannot be blank."),
        ({"title": "x" * 301}, "title", "at most 300 characters"),
        ({"slug": "not a slug!"}, "slug", "is not a slug"),
        ({"description": "x" * (MAX_CELL_CHARS + 1)}, "description", "a cell may hold at most"),
        ({"title": "Plant\x00"}, "title", "NUL byte"),
        ({"sector": "\x00"}, "sector", "NUL byte"),
        ({"investor": "acme\x00"}, "investor", "NUL byte"),
        ({"sources": "\x00"}, "sources", "NUL byte"),
        ({"slug": "plant\x00"}, "slug", "NUL byte"),
        ({"title": "Plant\x07"}, "title", "invisible control character"),
        ({"title": '=HYPERLINK("http://evil","x")'}, "title", "run it as a formula"),
        ({"province": "@cmd|' /C calc'!A0"}, "province", "starts with “@”"),
        ({"description": "@SUM(1+1)*cmd"}, "description", "starts with “@”"),
        ({"description": "\t=1+1"}, "description", "starts with a tab"),
        ({"amount": "=1+2"}, "amount", "run it as a formula"),
        ({"sources": "javascript:alert(1)"}, "sources", "only http:// and https://"),
        ({"sources": "JavaScript:alert(1)//https://x"}, "sources", "only http:// and https://"),
        ({"sources": "https://example.org/unknown"}, "sources", "No source has the address"),
        ({"sources": "999999"}, "sources", "No source has the number 999999."),
        ({"sources": "Bangkok Post"}, "sources", "neither a source number nor a web address"),
    ],
)
def test_it_refuses_a_bad_cell_naming_row_and_column(admin_client, world, values, column, message):
    rows = [investment_row(world, slug="fine"), investment_row(world, **values)]
    if "period_end" in values and values["period_end"] == "2023-12-31":
        rows[1]["period_start"] = "2024-01-01"
    response = refused(admin_client, Investment, csv_bytes(rows))
    errors = row_errors(response)
    assert (3, column) in errors, errors
    assert message in errors[(3, column)]
    assert "Some rows have errors" in response.text
    assert Investment.objects.count() == 0


def test_it_reports_every_error_of_a_row_at_once(admin_client, world):
    row = investment_row(
        world,
        title='=HYPERLINK("http://x")',
        investor="acme",
        origin_country="Atlantis",
        amount="-5",
        period_start="13/01/2024",
        sources="javascript:alert(1)",
    )
    response = refused(admin_client, Investment, csv_bytes([row]))
    columns = {column for _, column in row_errors(response)}
    assert columns == {"title", "investor", "origin_country", "amount", "period_start", "sources"}
    assert "HYPERLINK" not in response.text  # the refused cell is not echoed back


def test_it_refuses_a_200_kb_cell(admin_client, world):
    rows = [investment_row(world, description="a" * 200_000)]
    response = refused(admin_client, Investment, csv_bytes(rows))
    assert "A cell on line 2 holds more than" in form_error(response)
    assert "a cell may hold at most 10,000" in form_error(response)
    response = refused(admin_client, Investment, xlsx_bytes(rows), "big.xlsx")
    assert "a cell may hold at most 10,000" in row_errors(response)[(2, "description")]


def test_it_refuses_a_bad_figure_cell(admin_client, world):
    rows = [figure_row(world, share_percent="150", rank="0", project_count="1.5")]
    response = refused(admin_client, InvestmentFigure, xlsx_bytes(rows), "figures.xlsx")
    errors = row_errors(response)
    assert "between 0 and 100" in errors[(2, "share_percent")]
    assert "1 or more" in errors[(2, "rank")]
    assert "not a whole number" in errors[(2, "project_count")]


def test_it_refuses_a_real_xlsx_formula(admin_client, world):
    book = openpyxl.Workbook()
    sheet = book.active
    row = investment_row(world)
    sheet.append(list(row))
    sheet.append(list(row.values()))
    sheet.cell(2, ROW_HEADER.index("amount") + 1).value = "=1000*1000"
    out = io.BytesIO()
    book.save(out)
    response = refused(admin_client, Investment, out.getvalue(), "f.xlsx")
    assert "run it as a formula" in row_errors(response)[(2, "amount")]


def test_it_counts_rows_as_the_spreadsheet_does_past_blank_lines(admin_client, world):
    data = csv_bytes([investment_row(world), investment_row(world, slug="b")])
    data = data.replace(b"\r\n", b"\r\n,,,\r\n", 1)  # a blank line after the header
    data = data.replace(b"applied", b"dreaming")
    response = refused(admin_client, Investment, data)
    assert set(row_errors(response)) == {(3, "stage"), (4, "stage")}


def test_it_writes_nothing_when_one_row_fails_at_confirmation(admin_client, world):
    rows = [investment_row(world), investment_row(world, slug="second", title="B")]
    preview = upload(admin_client, Investment, csv_bytes(rows))
    assert preview.context["confirm_form"] is not None
    world["sector"].delete()  # the file no longer passes between preview and confirmation
    response = confirm(admin_client, Investment, preview)
    assert not Investment.objects.exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Nothing was imported") for m in messages)


def test_it_refuses_a_confirmation_whose_file_is_gone(admin_client, world):
    response = admin_client.post(
        url(Investment, "process_import"),
        {"import_file_name": "missing", "original_file_name": "a.csv", "format": "0"},
        follow=True,
    )
    assert response.status_code == 200
    assert not Investment.objects.exists()
    assert any("no longer available" in str(m) for m in response.context["messages"])


def test_it_refuses_an_oversized_upload(admin_client, world, monkeypatch):
    monkeypatch.setattr("partnership.core.spreadsheets.admin.MAX_FILE_BYTES", 100)
    response = refused(admin_client, Investment, csv_bytes([investment_row(world)]))
    assert "the limit is" in form_error(response)


# Permissions --------------------------------------------------------------------------------


def test_it_refuses_import_to_staff_without_add_permission(client, staff_user, world):
    for codename in ("view_investment", "change_investment"):
        staff_user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(staff_user)
    assert client.get(url(Investment, "import")).status_code == 403
    response = upload(client, Investment, csv_bytes([investment_row(world)]))
    assert response.status_code == 403
    assert client.post(url(Investment, "process_import"), {}).status_code == 403
    assert not Investment.objects.exists()
    changelist = client.get(url(Investment, "changelist"))
    assert url(Investment, "import") not in changelist.text
    assert url(Investment, "export") in changelist.text  # viewing allows exporting


def test_it_lets_staff_with_add_and_change_permission_import(client, staff_user, world):
    for codename in ("view_investment", "add_investment", "change_investment"):
        staff_user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(staff_user)
    import_file(client, Investment, csv_bytes([investment_row(world)]))
    assert Investment.objects.get().publication == Publication.DRAFT


def test_it_refuses_export_to_staff_without_view_permission(staff_client, db):
    assert staff_client.get(url(Investment, "export")).status_code == 403
    assert staff_client.get(url(InvestmentFigure, "import_columns")).status_code == 403


def test_the_resource_documents_every_column():
    resource = InvestmentResource()
    assert [c.name for c in INVESTMENT_COLUMNS] == resource.get_export_headers()


@pytest.mark.parametrize("resource_class", [InvestmentResource, InvestmentFigureResource])
def test_each_column_is_declared_once_and_read_by_its_own_widget(resource_class):
    """The resource's fields are built from its columns: no field without a column."""
    assert set(resource_class.fields) == {c.name for c in resource_class.columns}
    for column in resource_class.columns:
        field = resource_class.fields[column.name]
        assert field.widget is column.widget
        attribute = column.name if column.stored else None
        assert (field.attribute, field.column_name) == (attribute, column.name)
        assert field.readonly == (column.name == "publication")
