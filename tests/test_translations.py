"""The record in Thai and Japanese beside English: edited in the admin, shown on the pages of
each language (or the English, marked), answered by the API, written in the downloads and kept
by the history."""

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from partnership.agreements.models import Agreement
from partnership.core.record_versions import record_change
from partnership.core.roles import PUBLISHERS
from tests import factories as f
from tests.helpers import form_data
from tests.test_admin import url
from tests.test_editors import member

THAI_TITLE = "กรอบความร่วมมือด้านการสร้างสรรค์ร่วมกัน"


@pytest.fixture
def publisher(django_user_model):
    return member(django_user_model, "paul", PUBLISHERS)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agreement(db):
    agreement = f.make_agreement(
        title="Framework on co-creation", summary="Cooperation on technology and skills."
    )
    f.make_party(agreement, f.make_organization(name="Ministry of Industry"))
    f.make_party(agreement, f.make_organization(name="METI"))
    return agreement


def test_a_publisher_edits_the_thai_title_beside_the_english(publisher, agreement, client):
    address = agreement.get_absolute_url()
    editor = signed_in(publisher)
    page = editor.get(url(Agreement, "change", agreement.pk))
    assert "Title [th]" in page.text and "Title [ja]" in page.text
    data = form_data(page)
    assert data["title_en"] == "Framework on co-creation"
    data["title_th"] = THAI_TITLE
    response = editor.post(url(Agreement, "change", agreement.pk), data, follow=True)
    assert response.status_code == 200

    agreement.refresh_from_db()
    assert agreement.title_th == THAI_TITLE
    assert agreement.title_en == "Framework on co-creation"  # the English is untouched
    thai = client.get(f"/th{address}")
    assert f"<h1>{THAI_TITLE}" in thai.text
    english = client.get(address)
    assert "<h1>Framework on co-creation" in english.text
    assert THAI_TITLE not in english.text.split("<h1>")[1].split("</h1>")[0]


def test_an_untranslated_text_shows_the_english_marked_as_english(agreement, client):
    agreement.summary_th = "ความร่วมมือด้านเทคโนโลยีและทักษะ"
    agreement.save()
    address = agreement.get_absolute_url()
    page = client.get(f"/th{address}").text
    heading = page.split("<h1>")[1].split("</h1>")[0]
    assert '<span lang="en">Framework on co-creation</span>' in heading
    assert '<small class="untranslated">ยังไม่ได้แปล</small>' in heading  # said in Thai
    # The translated summary is shown as it is, unmarked.
    assert "ความร่วมมือด้านเทคโนโลยีและทักษะ" in page
    assert '<span lang="en">Cooperation on technology' not in page
    # In English nothing is marked.
    assert "not yet translated" not in client.get(address).text


def test_a_signatorys_title_reads_in_the_pages_language(agreement, client):
    person = f.make_person(name="Suriya Juangroongruangkit")
    f.make_signatory(
        agreement,
        person,
        title_at_signing="Minister of Industry",
        title_at_signing_th="รัฐมนตรีว่าการกระทรวงอุตสาหกรรม",
    )
    address, person_address = agreement.get_absolute_url(), person.get_absolute_url()
    assert "Minister of Industry" in client.get(address).text
    thai = client.get(f"/th{address}").text
    assert "รัฐมนตรีว่าการกระทรวงอุตสาหกรรม" in thai
    assert "Minister of Industry" not in thai
    # No Japanese title: the English, marked as English and as not yet translated.
    japanese = client.get(f"/ja{person_address}").text
    assert '<span lang="en">Minister of Industry</span> <small class="untranslated">' in japanese


def test_a_publisher_writes_a_signatorys_title_in_each_language(publisher, agreement):
    f.make_signatory(agreement, f.make_person(), title_at_signing="Minister of Industry")
    editor = signed_in(publisher)
    page = editor.get(url(Agreement, "change", agreement.pk))
    data = form_data(page)
    assert data["signatories-0-title_at_signing_en"] == "Minister of Industry"
    data["signatories-0-title_at_signing_ja"] = "タイ工業大臣"
    response = editor.post(url(Agreement, "change", agreement.pk), data, follow=True)
    assert response.status_code == 200
    signatory = agreement.signatories.get()
    assert signatory.title_at_signing_ja == "タイ工業大臣"
    assert signatory.title_at_signing_en == "Minister of Industry"


def test_the_overviews_initiative_cards_mark_an_untranslated_title(client, db):
    f.make_initiative(title="Lean automation", acronym="LASI", status="active")
    cards = client.get("/th/").text.split('id="initiatives-heading"')[1].split("</section>")[0]
    assert '<span lang="en">Lean automation</span>' in cards
    assert '<small class="untranslated">ยังไม่ได้แปล</small>' in cards
    assert "(LASI)" in cards


def test_what_is_uncertain_is_marked_as_english_on_a_thai_page(agreement, client):
    agreement.uncertainty = "The day of signing is not confirmed."
    agreement.save()
    address = agreement.get_absolute_url()

    def aside(url):
        return client.get(url).text.split('class="caution"')[1].split("</aside>")[0]

    thai = aside(f"/th{address}")
    assert '<div lang="en"><p>The day of signing is not confirmed.</p></div>' in thai
    assert '<small class="untranslated">ยังไม่ได้แปล</small>' in thai
    assert 'lang="en"' not in aside(address)


def test_the_api_answers_in_thai(agreement, client):
    agreement.title_th = THAI_TITLE
    agreement.save()
    detail = f"/api/v1/agreements/{agreement.slug}/"
    by_parameter = client.get(detail, {"lang": "th"})
    assert by_parameter.json()["title"] == THAI_TITLE
    assert by_parameter["Content-Language"] == "th"
    assert "Accept-Language" in by_parameter["Vary"]
    by_header = client.get(detail, headers={"accept-language": "th,en;q=0.5"})
    assert by_header.json()["title"] == THAI_TITLE
    assert by_header["Content-Language"] == "th"
    # Untranslated text comes in English; without a choice, everything does.
    assert client.get(detail, {"lang": "ja"}).json()["title"] == "Framework on co-creation"
    english = client.get(detail)
    assert english.json()["title"] == "Framework on co-creation"
    assert english["Content-Language"] == "en"
    # Sent empty, as a form sends it, the parameter means the same as leaving it out.
    empty = client.get(detail, {"lang": ""}, headers={"accept-language": "th"})
    assert empty.json()["title"] == THAI_TITLE


def test_an_unknown_language_is_refused_with_a_clear_message(agreement, client):
    response = client.get("/api/v1/agreements/", {"lang": "fr"})
    assert response.status_code == 400
    assert response.json()["errors"]["lang"] == ["Choose one of en, th, ja."]


def test_the_schema_documents_the_language_parameter(db, client):
    schema = client.get("/api/v1/schema/").json()
    parameters = schema["paths"]["/api/v1/agreements/"]["get"]["parameters"]
    lang = next(p for p in parameters if p["name"] == "lang")
    assert sorted(lang["schema"]["enum"]) == ["en", "ja", "th"]


def test_downloads_have_a_column_per_language(agreement, client):
    agreement.title_th = THAI_TITLE
    agreement.save()
    for prefix in ("", "/th"):
        response = client.get(prefix + reverse("agreements:export", args=["csv"]))
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        header = list(rows[0])
        assert header.index("title_th") == header.index("title") + 1
        assert header.index("title_ja") == header.index("title") + 2
        assert rows[0]["title"] == "Framework on co-creation"  # English, from every language
        assert rows[0]["title_th"] == THAI_TITLE
        assert rows[0]["title_ja"] == ""
    dictionary = client.get(reverse("site:data_dictionary")).text
    assert "title_th" in dictionary and "title_ja" in dictionary


def test_the_history_keeps_and_reverts_each_language(publisher, agreement):
    agreement.title_th = THAI_TITLE
    agreement.save()
    record_change(agreement)
    version = agreement.history.latest()
    assert version.title_th == THAI_TITLE

    agreement.title_th = "ชื่ออื่น"
    agreement.title_ja = "別の題名"
    agreement.save()
    record_change(agreement)

    client = signed_in(publisher)
    revert_url = reverse(
        "admin:agreements_agreement_simple_history", args=[agreement.pk, version.history_id]
    )
    data = form_data(client.get(revert_url), "historicalagreement_form")
    assert data["title_th"] == THAI_TITLE
    client.post(revert_url, data, follow=True)
    agreement.refresh_from_db()
    assert agreement.title_th == THAI_TITLE
    assert not agreement.title_ja  # no Japanese title, as in that version
    assert agreement.title_en == "Framework on co-creation"


def test_a_publisher_sees_what_is_not_yet_translated(publisher, agreement):
    translated = f.make_agreement(title="Joint statement", title_th="แถลงการณ์ร่วม")
    changelist = url(Agreement, "changelist")
    client = signed_in(publisher)
    missing_thai = client.get(changelist, {"untranslated": "th"})
    assert "Missing Thai translation" in missing_thai.text
    shown = list(missing_thai.context["cl"].result_list)
    assert agreement in shown and translated not in shown
    missing_japanese = client.get(changelist, {"untranslated": "ja"})
    assert {agreement, translated} <= set(missing_japanese.context["cl"].result_list)
    # The column names the languages each record lacks.
    assert "Thai, Japanese" in missing_thai.text


def test_an_editor_who_chose_thai_works_in_a_thai_admin(publisher, agreement):
    editor = signed_in(publisher)
    editor.get("/language/th/?next=/")  # the site's switcher remembers the choice
    page = editor.get(url(Agreement, "changelist"))
    assert page.headers["Content-Language"] == "th"
    assert "เผยแพร่ ความตกลง ที่เลือก" in page.text  # the publish action, with the model's name
    assert "การเผยแพร่" in page.text  # the publication column and filter
    assert "Publish selected" not in page.text

    response = editor.post(
        url(Agreement, "changelist"),
        {"action": "unpublish", "_selected_action": [agreement.pk]},
        follow=True,
    )
    messages = [str(message) for message in response.context["messages"]]
    assert messages == ["1 ความตกลง กลับเป็นฉบับร่างแล้ว"]
    agreement.refresh_from_db()
    assert not agreement.is_published


def test_the_admin_index_reads_right_in_thai(superuser):
    editor = signed_in(superuser)
    editor.get("/language/th/?next=/")
    index = editor.get(reverse("admin:index")).text
    assert "การล็อกการลงชื่อเข้าใช้" in index  # the sign-in lockout, "Axes" in the package
    assert "ความพยายามเข้าใช้" in index  # access attempts
    assert "Access attempts" not in index and ">Axes<" not in index
    # Django's own Thai says "busy" for "none available" and "View:" with a colon.
    assert "ยังไม่มี" in index and "ไม่ว่าง" not in index
    assert "ดู:" not in index


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("th", ["เลือกแล้ว %(sel)s จาก %(cnt)s รายการ", "วันนี้ (%(date)s)", "ม.ค."]),
        ("ja", ["今日 (%(date)s)", "%(year)s年%(month)s%(day)s日", "サーバー"]),
    ],
)
def test_the_admins_scripts_speak_the_editors_language(publisher, language, words):
    """The selection counter, the calendar and the clock: Django's own catalogues lack them
    in Thai and in part in Japanese; the project's fill them in."""
    editor = signed_in(publisher)
    editor.get(f"/language/{language}/?next=/")
    catalogue = editor.get(reverse("admin:jsi18n")).text
    for word in words:
        assert json.dumps(word) in catalogue  # as the script holds it


def test_the_admin_stays_english_for_an_editor_who_chose_no_language(publisher, agreement):
    page = signed_in(publisher).get(url(Agreement, "changelist"))
    assert page.headers["Content-Language"] == "en"
    assert f"Publish selected {agreement._meta.verbose_name_plural}" in page.text
