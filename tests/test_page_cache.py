"""Whole public pages kept for anonymous visitors under the data version: the same page for
two reads, a fresh page after any change, and nothing kept that may differ between visitors."""

import gzip
import threading
import zlib

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from partnership.api.serializers.investments import InvestmentSerializer
from partnership.core import kept_files as kept_files_module
from partnership.core.caching import PublicPageCacheMiddleware
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_kept(settings):
    settings.CACHE_PAGES = True
    caches["pages"].clear()  # a process's own copies, left by earlier tests' data


def test_a_page_read_again_is_the_same_page_from_one_query(client, django_assert_num_queries):
    factories.make_agreement(title="Framework on co-creation")
    url = reverse("agreements:list")
    first = client.get(url)
    assert "Framework on co-creation" in first.text
    # The data version; the page from the process's memory.
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_another_process_reads_the_page_from_the_shared_cache(client, django_assert_num_queries):
    factories.make_agreement(title="Framework on co-creation")
    url = reverse("agreements:list")
    first = client.get(url)
    caches["pages"].clear()
    # The data version and the page from the shared cache.
    with django_assert_num_queries(2):
        again = client.get(url)
    assert again.content == first.content


def test_an_edit_is_on_the_next_read(client):
    agreement = factories.make_agreement(title="Framework on co-creation")
    url = reverse("agreements:list")
    assert "Framework on co-creation" in client.get(url).text
    agreement.title = "Framework on sustainable growth"
    agreement.save()
    page = client.get(url).text
    assert "Framework on sustainable growth" in page
    assert "Framework on co-creation" not in page


def test_unpublishing_takes_a_record_off_the_kept_page(client):
    agreement = factories.make_agreement(title="Framework on co-creation")
    url = reverse("agreements:list")
    assert "Framework on co-creation" in client.get(url).text
    agreement.unpublish()
    assert "Framework on co-creation" not in client.get(url).text


def test_each_address_language_and_query_is_its_own_page(client):
    factories.make_agreement(title="Framework on co-creation", title_th="กรอบความร่วมมือ")
    url = reverse("agreements:list")
    english = client.get(url).text
    thai = client.get("/th" + url).text
    assert "กรอบความร่วมมือ" in thai
    assert "กรอบความร่วมมือ" not in english
    searched = client.get(url, {"q": "nothing of the sort"}).text
    assert "Framework on co-creation" not in searched
    assert "Framework on co-creation" in client.get(url).text


def made_afresh(client, url):
    """Whether a second read of `url` is made again rather than read from the cache."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured) > 1


def test_a_signed_in_editor_is_never_answered_from_the_kept_page(client, admin_user):
    draft = factories.make_agreement(title="Draft framework", published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(admin_user)
    assert "Draft framework" in client.get(draft.get_absolute_url()).text
    assert made_afresh(client, reverse("agreements:list"))


def test_an_api_answer_is_kept_too_with_its_links(client, monkeypatch):
    for i in range(3):
        factories.make_investment(title=f"Plant {i}")
    url = reverse("api:investment-list", kwargs={"version": "v1"})
    first = client.get(url, {"page_size": 1})

    def serialize(*args):
        raise AssertionError("a kept answer is sent as it was rendered")

    monkeypatch.setattr(InvestmentSerializer, "to_representation", serialize)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url, {"page_size": 1})
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again["Link"] == first["Link"]
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"]
    assert not any("investments_investment" in q["sql"] for q in captured.captured_queries)


def test_an_api_answer_follows_an_edit_and_its_language(client):
    agreement = factories.make_agreement(title="Framework on co-creation")
    url = reverse("api:agreement-detail", kwargs={"version": "v1", "slug": agreement.slug})
    assert client.get(url).json()["title"] == "Framework on co-creation"
    agreement.title = "Framework on growth"
    agreement.title_th = "กรอบความร่วมมือ"
    agreement.save()
    assert client.get(url).json()["title"] == "Framework on growth"
    assert client.get(url, {"lang": "th"}).json()["title"] == "กรอบความร่วมมือ"
    in_thai = client.get(url, headers={"accept-language": "th"})
    assert in_thai.json()["title"] == "กรอบความร่วมมือ"
    assert in_thai["Content-Language"] == "th"
    assert client.get(url).json()["title"] == "Framework on growth"


def test_an_api_error_is_not_kept(client):
    url = reverse("api:investment-detail", kwargs={"version": "v1", "slug": "no-such-project"})
    assert client.get(url).status_code == 404
    assert made_afresh(client, url)


def test_the_health_check_asks_the_database_every_time(client):
    client.get("/healthz")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/healthz").status_code == 200
    assert [q["sql"] for q in captured.captured_queries] == ["SELECT 1"]


def test_a_page_in_thai_is_kept_too(client):
    factories.make_agreement(title="Framework on co-creation")
    assert not made_afresh(client, "/th" + reverse("agreements:list"))


def test_a_missing_page_is_not_kept(client):
    assert client.get("/agreements/no-such-agreement/").status_code == 404
    assert made_afresh(client, "/agreements/no-such-agreement/")


def test_only_a_complete_public_answer_is_kept():
    keepable = PublicPageCacheMiddleware.keepable
    assert keepable(HttpResponse("page"))
    assert not keepable(HttpResponse("gone", status=404))
    assert not keepable(StreamingHttpResponse(iter([b"a,b\n"])))
    with_cookie = HttpResponse("page")
    with_cookie.set_cookie("csrftoken", "x")
    assert not keepable(with_cookie)
    private = HttpResponse("page")
    private["Cache-Control"] = "private, max-age=0"
    assert not keepable(private)
    never = HttpResponse("page")
    never["Cache-Control"] = "no-cache, no-store, must-revalidate"
    assert not keepable(never)


# Downloads ------------------------------------------------------------------------------------


@pytest.fixture
def kept_files(settings, tmp_path):
    settings.DOWNLOADS_ROOT = tmp_path
    return tmp_path


def download(client, url, headers=None, **query):
    response = client.get(url, query, headers=headers)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_a_download_is_made_once_per_data_version_and_then_read_from_its_file(client, kept_files):
    factories.make_investment(title="Plant in Rayong")
    url = reverse("investments:export", args=["csv"])
    first, made = download(client, url)
    assert "Plant in Rayong" in made.decode("utf-8-sig")
    files = list(kept_files.rglob("*.csv"))
    assert len(files) == 1
    with CaptureQueriesContext(connection) as captured:
        again, read = download(client, url)
    assert read == made
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Content-Type"] == "text/csv; charset=utf-8"
    assert again["X-Data-Version"] == first["X-Data-Version"]
    assert not any("investments_investment" in q["sql"] for q in captured.captured_queries)


def test_a_kept_download_is_sent_without_reading_its_filters_again(client, kept_files):
    sector = factories.make_sector(name="Automotive")
    factories.make_investment(title="Plant in Rayong", sector=sector)
    url = reverse("investments:export", args=["csv"])
    _, made = download(client, url, sector=sector.slug)
    with CaptureQueriesContext(connection) as captured:
        _, read = download(client, url, sector=sector.slug)
    assert read == made
    assert not any("sectors_sector" in q["sql"] for q in captured.captured_queries)
    response = client.get(url, {"sector": "no-such-sector"})
    assert response.status_code == 400  # and no file is kept for it
    assert len(list(kept_files.rglob("*.csv"))) == 1


def test_a_head_request_for_a_download_makes_no_rows_and_keeps_nothing(client, rf, kept_files):
    factories.make_investment(title="Plant in Rayong")
    url = reverse("investments:export", args=["csv"])
    found = resolve(url)
    with CaptureQueriesContext(connection) as captured:
        # The view itself, its body read as a server reads it (the test client would drop it).
        response = found.func(rf.head(url, {"origin": "JP"}), *found.args, **found.kwargs)
        assert b"".join(response.streaming_content) == b""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="investments-')
    assert not any("investments_investment" in q["sql"] for q in captured.captured_queries)
    assert list(kept_files.rglob("*.*")) == []
    assert client.head(url, {"origin": "nowhere"}).status_code == 400
    _, made = download(client, url)
    kept = client.head(url)  # once made, from its file
    assert int(kept["Content-Length"]) == len(made)


def test_a_download_after_an_edit_has_the_edit_and_old_files_go(client, kept_files):
    project = factories.make_investment(title="Plant in Rayong")
    url = reverse("investments:export", args=["csv"])
    download(client, url)
    project.title = "Plant in Chonburi"
    project.save()
    _, made = download(client, url)
    assert "Plant in Chonburi" in made.decode("utf-8-sig")
    assert "Plant in Rayong" not in made.decode("utf-8-sig")
    assert len(list(kept_files.iterdir())) == 1
    assert len(list(kept_files.rglob("*.csv"))) == 1


def test_each_filter_and_format_is_its_own_file(client, kept_files):
    factories.make_investment(title="From Japan", origin_country="JP")
    factories.make_investment(title="From Singapore", origin_country="SG")
    url = reverse("investments:export", args=["csv"])
    _, everything = download(client, url)
    _, japan = download(client, url, origin="JP")
    assert "From Singapore" in everything.decode("utf-8-sig")
    assert "From Singapore" not in japan.decode("utf-8-sig")
    _, as_json = download(client, reverse("investments:export", args=["json"]), origin="JP")
    assert b'"From Japan"' in as_json
    assert len(list(kept_files.rglob("*.gz"))) == 3
    assert len([path for path in kept_files.rglob("*") if path.is_file()]) == 6


def test_a_client_that_accepts_gzip_is_sent_the_kept_download_compressed(client, kept_files):
    factories.make_investment(title="Plant in Rayong")
    url = reverse("investments:export", args=["csv"])
    first, made = download(client, url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in first  # streamed as it is made
    assert "Accept-Encoding" in first["Vary"]
    compressed, read = download(client, url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert compressed["Content-Type"] == "text/csv; charset=utf-8"
    assert int(compressed["Content-Length"]) == len(read)
    assert gzip.decompress(read) == made
    plain, read = download(client, url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    assert read == made


def test_a_large_download_is_kept_a_tenth_of_its_size_compressed(client, kept_files):
    for i in range(60):
        factories.make_investment(title=f"Plant {i} in Rayong", origin_country="JP")
    _, made = download(client, reverse("investments:export", args=["json"]))
    (kept,) = kept_files.rglob("*.json")
    (compressed,) = kept_files.rglob("*.json.gz")
    assert kept.read_bytes() == made
    assert gzip.decompress(compressed.read_bytes()) == made
    assert compressed.stat().st_size < len(made) / 10


class FailingCompressor:
    def __init__(self, error):
        self.error = error

    def compress(self, data):
        raise self.error


COPY_ERRORS = [OSError(28, "No space left on device"), zlib.error("Error -2 while compressing")]


@pytest.mark.parametrize("error", COPY_ERRORS, ids=["disk full", "zlib"])
def test_a_compressed_copy_that_cannot_be_written_leaves_the_download_whole(
    client, kept_files, monkeypatch, error
):
    monkeypatch.setattr(
        kept_files_module._CompressedCopy, "compressor", lambda self: FailingCompressor(error)
    )
    for i in range(3):
        factories.make_investment(title=f"Plant {i}")
    url = reverse("investments:export", args=["csv"])
    _, made = download(client, url, headers={"Accept-Encoding": "gzip"})
    assert all(f"Plant {i}" in made.decode("utf-8-sig") for i in range(3))
    assert [path.suffix for path in kept_files.rglob("*.*") if path.is_file()] == [".csv"]
    with CaptureQueriesContext(connection) as captured:
        again, read = download(client, url, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in again  # the kept file, as it is
    assert read == made
    assert not any("investments_investment" in q["sql"] for q in captured.captured_queries)


@pytest.mark.parametrize("error", COPY_ERRORS, ids=["disk full", "zlib"])
def test_a_failed_copy_never_holds_up_a_long_download(tmp_path, monkeypatch, error):
    monkeypatch.setattr(
        kept_files_module._CompressedCopy, "compressor", lambda self: FailingCompressor(error)
    )
    chunks = [f"row {i}\n" for i in range(500)]  # far more than the copy's queue holds
    path = tmp_path / "version" / "download.csv"
    assert list(kept_files_module._written(path, iter(chunks))) == [c.encode() for c in chunks]
    assert path.read_text() == "".join(chunks)
    assert [found.name for found in path.parent.iterdir()] == ["download.csv"]
    assert not copying_threads()


def test_a_download_whose_rows_fail_half_way_leaves_no_file(tmp_path):
    def rows():
        yield "row 1\n"
        raise ValueError("the database went away")

    path = tmp_path / "version" / "download.csv"
    written = kept_files_module._written(path, rows())
    assert next(written) == b"row 1\n"
    with pytest.raises(ValueError, match="went away"):
        next(written)
    assert list(path.parent.iterdir()) == []
    assert not copying_threads()


def test_past_the_limit_of_a_version_a_download_is_sent_but_not_kept(
    client, kept_files, monkeypatch
):
    monkeypatch.setattr(kept_files_module, "KEPT_PER_VERSION", 1)
    factories.make_investment(title="From Japan", origin_country="JP")
    url = reverse("investments:export", args=["csv"])
    download(client, url)
    _, japan = download(client, url, origin="JP")
    assert "From Japan" in japan.decode("utf-8-sig")
    assert len(list(kept_files.rglob("*.csv"))) == 1
    assert len(list(kept_files.rglob("*.gz"))) == 1


def copying_threads():
    return [
        thread
        for thread in threading.enumerate()
        if thread.name == kept_files_module.COPYING and thread.is_alive()
    ]


def test_a_download_cut_off_half_way_leaves_no_file(client, kept_files):
    for i in range(3):
        factories.make_investment(title=f"Plant {i}")
    response = client.get(reverse("investments:export", args=["csv"]))
    chunks = iter(response.streaming_content)
    next(chunks)
    response.close()
    assert list(kept_files.rglob("*.csv")) == []
    assert list(kept_files.rglob("*.gz")) == []
    assert list(kept_files.rglob("*.part")) == []
    assert not copying_threads()
