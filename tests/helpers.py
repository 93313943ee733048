"""Helpers shared by the test modules."""

import runpy
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    """GET `url` with `client`, check it answers 200, and return how many queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# What the settings module reads from the environment and the tests set themselves.
SETTINGS_ENVIRONMENT = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "API_RATE_LIMIT",
    "CACHE_PAGES",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SITE_NAME",
    "SITE_PUBLISHER",
    "CONTACT_EMAIL",
}


def load_settings(monkeypatch, **env):
    """Run partnership/settings.py afresh with `env` as the only settings variables set, and
    return its names and values. The running test's own settings are left alone."""
    for name in SETTINGS_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(settings.BASE_DIR) / "partnership" / "settings.py"))


class _FormFields(HTMLParser):
    """The fields of one form in a page, as a browser would post them."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None
        self.selected = []

    def add(self, name, value):
        if name and "__prefix__" not in name:
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.add(attrs.get("name"), attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self.select, self.selected = attrs.get("name"), []
        elif tag == "option" and self.select and "selected" in attrs:
            self.selected.append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea, self.text = attrs.get("name"), ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            for value in self.selected:
                self.add(self.select, value)
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None


def form_data(response, form_id=None):
    """What a browser would post from the admin form in `response`: every field with the
    value the page shows, inline rows included (the empty template rows left out)."""
    if form_id is None:
        form_id = f"{response.context['opts'].model_name}_form"
    parser = _FormFields(form_id)
    parser.feed(response.text)
    return {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}
