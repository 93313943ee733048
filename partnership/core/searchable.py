"""How a kind of record tells the site search what to read of it.

Each app declares its kinds in its own `search.py` (`KINDS`), next to its models and
selectors: which records the public may find (`rows`, published only), the text a visitor
reads on each (`document`), and whose changes alter that text (`follows`). The search app,
on the top floor, keeps its index from these declarations and knows no model itself.

Text fields are read in every language the record is written in: where a field has
translations (django-modeltranslation's `title_en`, `title_th`, `title_ja`), each of them.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst

from partnership.core.dates import DatePrecision, format_fuzzy_date
from partnership.core.translated_fields import language_fields


@dataclass(frozen=True)
class Document:
    """What the search reads of one record.

    `names` are what the record is called (title, short name, acronym, other names, in every
    language); a query matching one of them whole ranks first, one matching within them
    next. `text` is everything else a visitor reads on its page. `title`, `meta` (one line
    under the title), `url` and `summary` (shown when the query matched no passage of the
    text) are what a result shows; `date` orders equal matches, newest first.
    """

    title: str
    url: str
    names: list = field(default_factory=list)
    text: list = field(default_factory=list)
    meta: str = ""
    summary: str = ""
    date: datetime.date | None = None

    @classmethod
    def of(cls, record, names, **fields):
        """The document of a record that has other names (`aliases`): the address of its
        page, and `names` followed by its other names."""
        return cls(url=record.get_absolute_url(), names=[*names, *lines(record.aliases)], **fields)


@dataclass(frozen=True)
class SearchKind:
    """One kind of record the search finds.

    `key` names the kind (the search app keeps the kinds' order by it). `rows()`: the
    records the public may find, with what `document()` reads prefetched (only published
    related records). `follows`: lookups from this kind's records to others, or a callable
    giving them: when a record a lookup reaches changes, the records of this kind whose
    `lookup` holds it are read again (an agreement follows "parties__organization": a renamed
    ministry is found under its new name). `shown`: the fields of this kind's records that
    other kinds' documents read; a save that changes none of them leaves the followers alone
    (None: any change counts).
    """

    key: str
    model: Any
    rows: Callable
    document: Callable
    follows: Any = ()
    shown: tuple | None = None
    # The kind in the plural, as a heading ("Investment projects"), and one record of it, as
    # a result is labelled ("Investment project"): the model's own names unless given.
    label: str = ""
    singular: str = ""

    def __post_init__(self):
        meta = self.model._meta
        if not self.label:
            object.__setattr__(self, "label", capfirst(meta.verbose_name_plural))
        if not self.singular:
            object.__setattr__(self, "singular", capfirst(meta.verbose_name))

    def followed(self):
        """(model, lookup) pairs: each lookup in `follows` with the model it reaches."""
        lookups = self.follows() if callable(self.follows) else self.follows
        return [(reached(self.model, lookup), lookup) for lookup in lookups]


def reached(model, lookup):
    """The model a lookup ("signatories__person") leads to from `model`."""
    for name in lookup.split("__"):
        model = model._meta.get_field(name).related_model
    return model


def texts(record, *names):
    """The values of the fields `names` of `record`, in every language, without repeats;
    none when there is no record (an optional link left empty)."""
    found = []
    if record is None:
        return found
    for name in names:
        for column in language_fields(type(record), name):
            value = getattr(record, column, "")
            if value and value not in found:
                found.append(str(value))
    return found


def lines(value):
    """The non-empty lines of a text field, e.g. a record's other names."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def short_named(record):
    """What a ShortNamed record (an organization, a policy, an initiative) is called: its
    name and its acronym, in every language."""
    if record is None:
        return []
    return texts(record, record.name_field, "acronym")


def country_names(country):
    """A country's name in each of the site's languages ("Japan", "ญี่ปุ่น", "日本")."""
    return list(_country_names(country.code)) if country else []


@cache
def _country_names(code):
    from django_countries import countries

    names = []
    for language, _ in settings.LANGUAGES:
        with translation.override(language):
            name = str(countries.name(code))
        if name and name not in names:
            names.append(name)
    return tuple(names)


def written_date(value, precision=DatePrecision.DAY):
    """A date as pages write it ("13 January 2022", "November 2019"); empty for none."""
    return format_fuzzy_date(value, precision) if value else ""
