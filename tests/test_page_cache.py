"""Whole public pages kept for anonymous visitors under the data version: the same page for
two reads, a fresh page after any change, and nothing kept that may differ between visitors."""

import pytest
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core.caching import PublicPageCacheMiddleware
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_kept(settings):
    settings.CACHE_PAGES = True


def test_a_page_read_again_is_the_same_page_from_two_index_reads(client, django_assert_num_queries):
    factories.make_agreement(title="Framework on co-creation")
    url = reverse("agreements:list")
    first = client.get(url)
    assert "Framework on co-creation" in first.text
    # The data version and the kept page.
    with django_assert_num_queries(2):
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


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
    return len(captured) > 2


def test_a_signed_in_editor_is_never_answered_from_the_kept_page(client, admin_user):
    draft = factories.make_agreement(title="Draft framework", published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(admin_user)
    assert "Draft framework" in client.get(draft.get_absolute_url()).text
    assert made_afresh(client, reverse("agreements:list"))


def test_the_api_keeps_its_own_caching(client):
    factories.make_agreement()
    assert made_afresh(client, reverse("api:agreement-list", kwargs={"version": "v1"}))


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
