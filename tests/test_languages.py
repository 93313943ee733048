"""The site in English, Thai and Japanese: every main page in each language, the language
switcher, hreflang and the sitemap, dates and amounts as each reader expects them, and the
shipped catalogues complete."""

import datetime
import html as html_lib
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from partnership.core.currencies import AmountUnit, format_amount
from partnership.core.dates import DatePrecision, format_fuzzy_date, format_period
from tests.helpers import count_queries

FRAMEWORK = "/agreements/framework-co-creation-innovative-sustainable-growth-2022/"

# (name, English path, whether its <h1> is interface text rather than a record's own title)
MAIN_PAGES = [
    ("overview", "/", True),
    ("agreements", "/agreements/", True),
    ("agreement", FRAMEWORK, False),
    ("areas", "/areas/", True),
    ("area", "/areas/co-creation-2022-2-sme-digital-growth/", False),
    ("initiatives", "/initiatives/", True),
    ("initiative", "/initiatives/smart-monozukuri/", False),
    ("investments", "/investments/", True),
    ("investment", "/investments/pet-resin-2021/", False),
    ("figures", "/investments/figures/", True),
    ("figure", "/investments/figures/jp-th-applications-2021-jan-sep/", True),
    ("organizations", "/organizations/", True),
    ("organization", "/organizations/thailand-ministry-of-industry/", False),
    ("policies", "/policies/", True),
    ("policy", "/policies/asia-japan-investing-for-the-future-initiative/", False),
    ("people", "/people/", True),
    ("person", "/people/suriya-juangroongruangkit/", False),
    ("sectors", "/sectors/", True),
    ("sector", "/sectors/petrochemicals/", False),
    ("search", "/search/?q=Japan", True),
    ("timeline", "/timeline/", True),
    ("method", "/method/", True),
    ("data", "/data/", True),
]

# The main navigation's first link and the footer's first heading, as each language reads.
NAVIGATION = {
    "en": ("Agreements", "About this record"),
    "th": ("ความตกลง", "เกี่ยวกับฐานข้อมูลนี้"),
    "ja": ("協定・文書", "この記録について"),
}


def in_language(path, language):
    return path if language == "en" else f"/{language}{path}"


def h1_text(html):
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


def main_nav(html):
    return re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)


@pytest.mark.django_db
def test_each_main_page_answers_in_three_languages(demo, client):
    """One pass over every main page (the demo loaded once): each answers in English, Thai
    and Japanese, with the right lang, translated navigation, footer and heading."""
    for name, path, interface_heading in MAIN_PAGES:
        english = client.get(path).content.decode()
        for language, (nav_link, footer_heading) in NAVIGATION.items():
            response = client.get(in_language(path, language))
            assert response.status_code == 200, f"{language} {name}"
            html = response.content.decode()
            assert f'<html lang="{language}">' in html, f"{language} {name}"
            assert f">{nav_link}</a>" in main_nav(html), f"{language} {name}"
            assert footer_heading in html, f"{language} {name}"
            if language != "en":
                assert "About this record" not in html, f"{language} {name}"
                if interface_heading:
                    assert h1_text(html) != h1_text(english), f"{language} {name}: heading"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["th", "ja"])
def test_not_found_page_is_translated(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert h1_text(html) == {"th": "ไม่พบหน้าที่ต้องการ", "ja": "ページが見つかりません"}[language]


@pytest.mark.django_db
def test_a_translated_page_runs_no_more_queries_than_the_english_one(demo, client):
    for path in ("/", "/agreements/", FRAMEWORK):
        for language in ("en", "th", "ja"):
            client.get(in_language(path, language))  # caches filled alike
        english = count_queries(client, path)
        assert count_queries(client, in_language(path, "th")) == english, path
        assert count_queries(client, in_language(path, "ja")) == english, path


def switcher_links(html):
    nav = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0)
    return {
        lang: html_lib.unescape(href)
        for href, lang in re.findall(r'<a href="([^"]+)" lang="(\w+)"', nav)
    }


@pytest.mark.django_db
def test_the_switcher_keeps_the_page_and_its_filters_and_remembers_the_choice(demo, client):
    html = client.get("/agreements/?status=in_force&kind=epa").content.decode()
    links = switcher_links(html)
    assert set(links) == {"en", "th", "ja"}
    assert ">ไทย</a>" in html and ">日本語</a>" in html and ">English</a>" in html

    response = client.get(links["th"])
    assert response.status_code == 302
    assert response["Location"] == "/th/agreements/?status=in_force&kind=epa"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "th"

    # Remembered: an English address now leads to the Thai page, filters kept.
    response = client.get("/initiatives/?status=active")
    assert response.status_code == 302
    assert response["Location"] == "/th/initiatives/?status=active"
    assert "Cookie" in response["Vary"]

    # Choosing English again serves the English addresses as they are.
    links = switcher_links(client.get("/th/initiatives/?status=active").content.decode())
    response = client.get(links["en"])
    assert response["Location"] == "/initiatives/?status=active"
    assert client.get("/initiatives/?status=active").status_code == 200


@pytest.mark.django_db
def test_the_switcher_leaves_a_page_in_any_language_for_any_other(client):
    """Whatever language the browser asks for, and with no choice remembered yet."""
    response = client.get(
        "/language/en/?next=/ja/timeline/%3Fyear%3D2022", HTTP_ACCEPT_LANGUAGE="th"
    )
    assert response["Location"] == "/timeline/?year=2022"
    response = client.get("/language/th/?next=/ja/timeline/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Location"] == "/th/timeline/"


@pytest.mark.django_db
def test_the_switcher_refuses_to_send_visitors_elsewhere(client):
    response = client.get("/language/ja/?next=https://example.com/")
    assert response.status_code == 302
    assert response["Location"] == "/ja/"


@pytest.mark.django_db
def test_pages_name_their_translations_and_canonical_address(demo, client):
    html = client.get("/th/agreements/?kind=epa").content.decode()
    assert '<link rel="canonical" href="http://testserver/th/agreements/?kind=epa">' in html
    for language, prefix in (("en", ""), ("x-default", ""), ("th", "/th"), ("ja", "/ja")):
        assert (
            f'<link rel="alternate" hreflang="{language}" '
            f'href="http://testserver{prefix}/agreements/?kind=epa">'
        ) in html


@pytest.mark.django_db
def test_the_sitemap_lists_every_page_in_three_languages(demo, client):
    xml = client.get("/sitemap-pages.xml").content.decode()
    for path in ("/", "/th/", "/ja/", "/th/method/", "/ja/timeline/"):
        assert f"<loc>http://testserver{path}</loc>" in xml
    assert 'hreflang="x-default" href="http://testserver/method/"' in xml
    xml = client.get("/sitemap-agreements.xml").content.decode()
    assert f"<loc>http://testserver/th{FRAMEWORK}</loc>" in xml


@pytest.mark.django_db
def test_the_framework_documents_signing_date_as_each_reader_writes_it(demo, client):
    assert "13 January 2022" in client.get(FRAMEWORK).content.decode()
    assert "13 มกราคม 2565" in client.get(f"/th{FRAMEWORK}").content.decode()
    assert "2022年1月13日" in client.get(f"/ja{FRAMEWORK}").content.decode()


def test_a_signed_agreements_status_reads_as_a_status_not_a_date(demo, client):
    # "Signed" is both a status and the heading of a signing date: each has its own words.
    assert "署名済み" in client.get(f"/ja{FRAMEWORK}").content.decode()
    assert "ลงนามแล้ว" in client.get(f"/th{FRAMEWORK}").content.decode()


@pytest.mark.django_db
def test_the_overview_writes_amounts_and_countries_in_the_pages_language(demo, client):
    thai = client.get("/th/").content.decode()
    assert "ล้านบาท" in thai
    assert "ญี่ปุ่น" in thai and "from Japan" not in thai
    japanese = client.get("/ja/").content.decode()
    assert "百万バーツ" in japanese
    assert "日本からタイへの投資" in japanese
    assert " in タイ" not in japanese and "from 日本" not in japanese


DAY = datetime.date(2022, 1, 13)


@pytest.mark.parametrize(
    ("language", "precision", "expected"),
    [
        ("en", DatePrecision.DAY, "13 January 2022"),
        ("th", DatePrecision.DAY, "13 มกราคม 2565"),
        ("ja", DatePrecision.DAY, "2022年1月13日"),
        ("en", DatePrecision.MONTH, "January 2022"),
        ("th", DatePrecision.MONTH, "มกราคม 2565"),
        ("ja", DatePrecision.MONTH, "2022年1月"),
        ("th", DatePrecision.YEAR, "2565"),
        ("ja", DatePrecision.YEAR, "2022年"),
    ],
)
def test_dates_follow_the_reader(language, precision, expected):
    with translation.override(language):
        assert format_fuzzy_date(DAY, precision) == expected


def test_the_buddhist_era_turns_with_the_common_one():
    with translation.override("th"):
        assert format_fuzzy_date(datetime.date(1999, 12, 31)) == "31 ธันวาคม 2542"
        assert format_fuzzy_date(datetime.date(2000, 1, 1)) == "1 มกราคม 2543"


@pytest.mark.parametrize(
    ("language", "same_year", "across_years"),
    [
        ("en", "Jan–Sep 2021", "Dec 2020–Mar 2021"),
        ("th", "ม.ค.–ก.ย. 2564", "ธ.ค. 2563–มี.ค. 2564"),
        ("ja", "2021年1月～9月", "2020年12月～2021年3月"),
    ],
)
def test_periods_follow_the_reader(language, same_year, across_years):
    with translation.override(language):
        assert format_period(datetime.date(2021, 1, 1), datetime.date(2021, 9, 30)) == same_year
        assert format_period(datetime.date(2020, 12, 1), datetime.date(2021, 3, 31)) == across_years
        assert format_period(datetime.date(2021, 1, 1)) == format_period(
            datetime.date(2021, 1, 1), datetime.date(2021, 1, 31)
        )


@pytest.mark.parametrize(
    ("language", "million", "approximate_billion"),
    [
        ("en", "3,062 million baht", "around 70 billion baht"),
        ("th", "3,062 ล้านบาท", "ประมาณ 70 พันล้านบาท"),
        ("ja", "3,062百万バーツ", "約700億バーツ"),
    ],
)
def test_amounts_keep_their_unit_and_currency_words_in_the_pages_language(
    language, million, approximate_billion
):
    with translation.override(language):
        assert format_amount(Decimal("3062000000"), "THB") == million
        assert (
            format_amount(Decimal("70000000000"), "THB", AmountUnit.BILLION, approximate=True)
            == approximate_billion
        )


# The catalogues that ship: every message translated, none fuzzy.
CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").rglob("*.po"))


def po_entries(path):
    """(flags, msgid, msgstr values) of each message in a .po file, its header left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#~")]
        flags = {
            flag.strip() for line in lines if line.startswith("#,") for flag in line[2:].split(",")
        }
        fields, current = {}, None
        for line in lines:
            if line.startswith("#"):
                continue
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            strings = [value for key, value in fields.items() if key.startswith("msgstr")]
            entries.append((flags, fields["msgid"], strings))
    return entries


def test_the_thai_and_japanese_catalogues_ship():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert {"th", "ja"} <= languages


@pytest.mark.parametrize(
    "path", CATALOGUES, ids=[str(p.relative_to(settings.BASE_DIR)) for p in CATALOGUES]
)
def test_every_message_of_a_shipped_catalogue_is_translated(path):
    entries = po_entries(path)
    assert entries, f"{path} holds no message"
    fuzzy = [msgid for flags, msgid, _ in entries if "fuzzy" in flags]
    untranslated = [msgid for _, msgid, strings in entries if not strings or not all(strings)]
    assert fuzzy == [], f"fuzzy in {path}: {fuzzy[:5]}"
    assert untranslated == [], f"untranslated in {path}: {untranslated[:5]}"


def test_the_completeness_check_sees_a_fuzzy_or_empty_message(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: th\\n"\n\n'
        '#, fuzzy\nmsgid "Agreements"\nmsgstr "ความตกลง"\n\n'
        'msgid "Sectors"\nmsgstr ""\n\n'
        'msgid "%(counter)s event"\nmsgid_plural "%(counter)s events"\nmsgstr[0] ""\n',
        encoding="utf-8",
    )
    entries = po_entries(path)
    assert [msgid for flags, msgid, _ in entries if "fuzzy" in flags] == ["Agreements"]
    assert [msgid for _, msgid, strings in entries if not all(strings)] == [
        "Sectors",
        "%(counter)s event",
    ]


# The admin's names of records and fields: marked for translation, shown in the admin's language.

PARTNERSHIP_APPS = [
    config for config in apps.get_app_configs() if config.name.startswith("partnership.")
]


def own_fields(model):
    """The fields a model declares (or inherits from an abstract model): not the primary key
    Django adds, nor the per-language copies django-modeltranslation makes (title_th …),
    which take their names from the original field."""
    for field in model._meta.get_fields(include_hidden=True):
        if field.auto_created or not getattr(field, "concrete", False):
            continue
        if getattr(field, "translated_field", None) is not None:
            continue
        yield field


@pytest.mark.parametrize(
    "model",
    [
        model
        for config in PARTNERSHIP_APPS
        for model in config.get_models()
        # Not the history, nor the tallies the database keeps alone (no one edits or reads
        # them under their own name).
        if not model.__name__.startswith("Historical") and model._meta.default_permissions
    ],
    ids=lambda model: model._meta.label,
)
def test_every_model_and_field_name_is_translatable(model):
    assert isinstance(model._meta.verbose_name, Promise), "Meta.verbose_name"
    assert isinstance(model._meta.verbose_name_plural, Promise), "Meta.verbose_name_plural"
    plain = [
        field.name for field in own_fields(model) if not isinstance(field.verbose_name, Promise)
    ]
    assert plain == [], f"fields whose name is not marked for translation: {plain}"
    help_texts = [
        field.name
        for field in own_fields(model)
        if field.help_text and not isinstance(field.help_text, Promise)
    ]
    assert help_texts == [], f"fields whose help is not marked for translation: {help_texts}"


def visible_text(html):
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def test_the_thai_admin_names_the_columns_filters_and_models_in_thai(admin_client):
    from tests import factories as f

    f.make_agreement(title="Framework on co-creation")
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    page = admin_client.get(reverse("admin:agreements_agreement_changelist"))
    assert page.headers["Content-Language"] == "th"
    text = page.content.decode()
    results = re.search(r'<table id="result_list">.*?</thead>', text, re.S).group()
    # Each column's name (a sorted column's also shows its sort priority: "2 ชื่อเรื่อง").
    columns = [
        re.sub(r"^\d+ ", "", visible_text(header))
        for header in re.findall(r'<th scope="col".*?</th>', results, re.S)
    ]
    for thai in ["ชื่อเรื่อง", "ประเภท", "สถานะ", "วันที่ลงนาม", "ภาคี", "คุณภาพข้อมูล"]:
        assert thai in columns, (thai, columns)
    filters = visible_text(re.search(r'id="changelist-filter".*?</nav>', text, re.S).group())
    for thai in ["แสดงจำนวน", "โดย สถานะการเผยแพร่", "โดย ประเภท", "โดย สถานะ"]:
        assert thai in filters, (thai, filters)
    sidebar = visible_text(re.search(r'id="nav-sidebar".*?</nav>', text, re.S).group())
    for thai in ["ความตกลง", "ด้านความร่วมมือ", "นโยบาย", "โครงการความร่วมมือ", "การลงทุน"]:
        assert thai in sidebar, (thai, sidebar)
    for thai in ["หน่วยงาน", "บุคคล", "สาขาอุตสาหกรรม", "แหล่งที่มาและการเผยแพร่"]:
        assert thai in sidebar, (thai, sidebar)
    english = ["Agreements", "Cooperation areas", "Policies", "Initiatives", "Investments"]
    english += ["Organizations", "People", "Sectors", "Sources", "Model name", "Add link"]
    for word in english:
        assert word not in sidebar, (word, sidebar)
    for word in ["Title", "Kind", "Signed on", "Show counts", "By kind", "By publication"]:
        assert word not in columns and word not in filters, word
