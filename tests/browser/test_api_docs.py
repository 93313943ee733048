"""The API documentation page renders under the site's Content-Security-Policy."""

from urllib.parse import urlparse


def test_it_renders_the_operations_without_csp_violations(live_demo, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(f"{live_demo.url}/api/v1/docs/")
    assert response.status == 200
    assert "script-src" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/agreements/" in paths
    assert "/api/v1/investment-figures/{id}/" in paths
    assert page.js_errors == []  # a CSP violation is reported as a console error
    # Everything the page loaded came from this site.
    site = urlparse(live_demo.url).netloc
    assert {urlparse(url).netloc for url in requested if url.startswith("http")} == {site}
