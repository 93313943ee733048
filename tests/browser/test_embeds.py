"""A chart framed in another site's page: the embed loads there with its chart, sources and
link back; an ordinary page of the site refuses to be framed."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.browser.helpers import screenshot

EMBED = "/embed/figures-by-period/?origin=JP&destination=TH&basis=applications&currency=THB"


@contextmanager
def other_site(html):
    """Another site on this machine (127.0.0.1, its own port: another origin) serving one
    page, `html`, at /article.html; stopped when the block ends."""

    class Article(BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/article.html"
    finally:
        server.shutdown()
        server.server_close()


def test_an_embed_shows_in_another_sites_iframe_and_an_ordinary_page_does_not(live_demo, page):
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>An article</title></head>
    <body><h1>An article about investment</h1>
    <iframe id="embed" name="embed" src="{live_demo.url}{EMBED}" title="Chart" width="800" height="720"></iframe>
    <iframe id="page" name="page" src="{live_demo.url}/investments/" title="Page" width="800" height="300"></iframe>
    </body></html>"""
    with other_site(html) as article:
        page.goto(article)
        page.wait_for_load_state("load")
        check_frames(live_demo, page)


def check_frames(live_demo, page):

    embed = page.frame(name="embed")
    assert embed is not None and embed.url.startswith(live_demo.url)
    embed.wait_for_selector("svg.chart-svg")
    assert "applications reported, by period" in embed.locator("h1").inner_text()
    assert "PR Newswire" in embed.locator(".chart-sources").inner_text()
    back = embed.locator(".embed-credit a")
    assert back.get_attribute("href").startswith("/investments/figures/?")
    assert (
        embed.evaluate("document.baseURI")
        and embed.locator("base").get_attribute("target") == "_top"
    )
    screenshot(page, "embed-in-another-site")

    # The ordinary page is refused: the frame holds the browser's error page, not the site.
    framed = page.frame(name="page")
    assert (
        framed is None
        or not framed.url.startswith(live_demo.url)
        or (framed.locator("main h1").count() == 0)
    )
    assert [
        error
        for error in page.js_errors
        if "frame-ancestors" in error or "X-Frame-Options" in error
    ]


def test_the_embed_control_gives_a_snippet_to_copy_without_javascript(live_demo, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(f"{live_demo.url}/investments/figures/")
    control = page.locator("details.chart-embed").first
    control.locator("summary").click()
    code = control.locator("textarea.embed-code")
    assert code.is_visible()
    snippet = code.input_value()
    assert snippet.startswith("<iframe src=") and "/embed/figures-by-period/" in snippet
    assert code.get_attribute("readonly") is not None
    screenshot(page, "embed-control")
