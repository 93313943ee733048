"""Hostile query strings against every public list, download and detail URL.

Each request must answer 200, 400 or 404 — never a server error, never a traceback — and
whatever the visitor typed must come back escaped.
"""

from unittest import mock
from urllib.parse import quote

import pytest
from django.urls import NoReverseMatch, reverse

from partnership.agreements.filters import AgreementFilter, AreaFilter
from partnership.initiatives.filters import InitiativeFilter
from partnership.investments.filters import FigureFilter, InvestmentFilter
from partnership.organizations.filters import OrganizationFilter
from partnership.sectors.filters import SectorFilter

HOSTILE_VALUES = [
    "\x00",
    "abc\x00def",
    "' OR 1=1 --",
    "1; DROP TABLE agreements_agreement; --",
    '" OR ""="',
    "9" * 400,
    "-1",
    "-99999999999999999999999",
    "1e309",
    "NaN",
    "-Infinity",
    "0x1F",
    "2021-02-30",
    "2021-13-45",
    "0000-00-00",
    "99999-01-01",
    "x" * 5000,
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "%00",
    "__class__",
    "pk__gt",
    "é中文ไทย",
    " ",
    "",
]
# Tried on each parameter alone; the full list goes to the free-text, ordering and page
# parameters alone, and to all parameters at once.
EVERY_PARAMETER = ["\x00", "9" * 400, "<script>alert(1)</script>"]
FULL_SWEEP = {"q", "o", "page"}
# Bytes that are not valid UTF-8, and a lone surrogate encoded as UTF-8.
RAW_VALUES = ["%ED%A0%80", "%FF%FE", "%C0%AF", "%E0%80%AF"]
EXTRA_PARAMETERS = [
    "page",
    "o",
    "q",
    "format",
    "_connector",
    "publication",
    "pk__in",
    "slug__regex",
]
PAGES = ["0", "-1", "abc", "1.5", "99999999999999999999", "NaN"]

LISTS = {
    "agreements:list": AgreementFilter,
    "areas:list": AreaFilter,
    "initiatives:list": InitiativeFilter,
    "investments:list": InvestmentFilter,
    "investments:figures": FigureFilter,
    "organizations:list": OrganizationFilter,
    "sectors:list": SectorFilter,
}
EXPORTS = {
    ("investments:export", "csv"): InvestmentFilter,
    ("investments:export", "json"): InvestmentFilter,
    ("investments:figures_export", "csv"): FigureFilter,
    ("investments:figures_export", "json"): FigureFilter,
    ("agreements:export", "csv"): AgreementFilter,
    ("agreements:export", "json"): AgreementFilter,
    ("initiatives:export", "csv"): InitiativeFilter,
    ("initiatives:export", "json"): InitiativeFilter,
    ("organizations:export", "csv"): OrganizationFilter,
    ("organizations:export", "json"): OrganizationFilter,
}
API = [
    "agreements",
    "areas",
    "initiatives",
    "investments",
    "investment-figures",
    "organizations",
    "sectors",
]


def parameters(filterset_class):
    return sorted(set(filterset_class.base_filters) | set(EXTRA_PARAMETERS))


def assert_safe(response, url):
    assert response.status_code in {200, 400, 404}, f"{response.status_code} for {url!r}"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Traceback" not in body, url
    if response.get("Content-Type", "").startswith("text/html"):
        assert b"<script>alert(1)</script>" not in body, f"unescaped input echoed for {url!r}"
    else:
        assert response.get("X-Content-Type-Options") == "nosniff", url


def sweep(client, path, names):
    """Every hostile value in every parameter at once, then each parameter on its own."""
    encoded = [quote(value, safe="") for value in HOSTILE_VALUES] + RAW_VALUES
    queries = ["&".join(f"{name}={value}" for name in names) for value in encoded]
    for name in names:
        values = HOSTILE_VALUES if name in FULL_SWEEP else EVERY_PARAMETER
        queries += [f"{name}={quote(value, safe='')}" for value in values]
        queries.append(f"{name}=1&{name}=2&{name}=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    queries += [f"page={page}" for page in PAGES]
    for query in queries:
        url = f"{path}?{query}"
        assert_safe(client.get(url), url)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_pages_survive_hostile_input(client, demo, name):
    sweep(client, reverse(name), parameters(LISTS[name]))


@pytest.mark.slow
@pytest.mark.parametrize(("name", "fmt"), sorted(EXPORTS))
def test_downloads_survive_hostile_input(client, demo, name, fmt):
    try:
        path = reverse(name, args=[fmt])
    except NoReverseMatch:
        pytest.fail(f"{name} is missing")
    sweep(client, path, parameters(EXPORTS[(name, fmt)]))


@pytest.mark.slow
@pytest.mark.parametrize("endpoint", API)
def test_api_survives_hostile_input(client, demo, endpoint):
    filterset = dict(
        zip(
            API,
            [
                AgreementFilter,
                AreaFilter,
                InitiativeFilter,
                InvestmentFilter,
                FigureFilter,
                OrganizationFilter,
                SectorFilter,
            ],
            strict=True,
        )
    )[endpoint]
    with mock.patch("rest_framework.views.APIView.get_throttles", return_value=[]):
        sweep(
            client, f"/api/v1/{endpoint}/", [*parameters(filterset), "page_size", "limit", "offset"]
        )


@pytest.mark.slow
def test_search_survives_hostile_input(client, demo):
    sweep(client, reverse("site:search"), ["q", "kind", "page"])


def test_search_echoes_the_query_escaped(client, demo):
    response = client.get(reverse("site:search"), {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/agreements/{}/",
        "/areas/{}/",
        "/initiatives/{}/",
        "/investments/{}/",
        "/organizations/{}/",
        "/sectors/{}/",
        "/api/v1/agreements/{}/",
        "/api/v1/investments/{}/",
        "/api/v1/investment-figures/{}/",
        "/agreements/jtepa/documents/{}/",
    ],
)
def test_detail_pages_survive_hostile_slugs(client, demo, path):
    for slug in [
        "..%2F..%2Fetc%2Fpasswd",
        "%00",
        "a" * 300,
        "%3Cscript%3E",
        "-1",
        "99999999999999999999",
        "%ED%A0%80",
        "NaN",
    ]:
        url = path.format(slug)
        assert_safe(client.get(url), url)


def test_unknown_host_is_refused(client, settings):
    settings.ALLOWED_HOSTS = ["partnership.example.org"]
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
