"""Which of a model's fields are written in several languages, and in which columns.

django-modeltranslation gives a translated field (`title`) a column per language (`title_en`,
`title_th`, `title_ja`, English first) and keeps the field's own column as a copy of the
English (see core/translation.py). Code that reads or writes a record's whole state (its
history, the review workflow, downloads) reads the language columns and leaves the copy alone.
"""

from functools import cache

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst


def _options(model):
    if not hasattr(model, "_meta") or not apps.is_installed("modeltranslation"):
        return None
    from modeltranslation.translator import NotRegistered, translator

    try:
        return translator.get_options_for_model(model)
    except NotRegistered:
        return None


@cache
def translated_fields(model):
    """The names of `model`'s fields written in several languages ("title", "summary")."""
    options = _options(model)
    return tuple(options.all_fields) if options is not None else ()


@cache
def language_fields(model, name):
    """The columns holding field `name` of `model`: its translations where it has them,
    in the order of the site's languages."""
    options = _options(model)
    if options is not None and name in options.all_fields:
        order = [code for code, _ in settings.LANGUAGES]
        fields = sorted(
            options.all_fields[name],
            key=lambda f: order.index(f.language) if f.language in order else len(order),
        )
        return tuple(f.name for f in fields)
    return (name,)


def column(name, language):
    """The column of field `name` in `language` ("title", "th": "title_th")."""
    return f"{name}_{language}"


def english_column(name):
    """The English column of translated field `name` ("title_en")."""
    return column(name, settings.LANGUAGE_CODE)


def other_languages():
    """The site's languages but English, whose columns a translated field adds."""
    return [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def is_english_copy(field):
    """Whether `field` is a translated field's own column, a copy of its English."""
    return field.name in translated_fields(field.model)


def active_language():
    """The language of the page being made ("th"), one of the site's."""
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def text_in_language(record, name, language=None):
    """Field `name` of `record` as a page in `language` (the active one) shows it, and
    whether that is the English standing in for a missing translation: ("…", True)."""
    language = language or active_language()
    columns = language_fields(type(record), name)
    if len(columns) == 1 or language == settings.LANGUAGE_CODE:
        return getattr(record, name) or "", False
    own = getattr(record, column(name, language), "")
    if own:
        return own, False
    english = getattr(record, column(name, settings.LANGUAGE_CODE), "") or ""
    return english, bool(english)


def field_label(field):
    """How a change log names a field: "Summary" for a field or its English column,
    "Summary (Thai)" for another language's."""
    original = getattr(field, "translated_field", None)
    if original is None:
        return capfirst(str(field.verbose_name))
    label = capfirst(str(original.verbose_name))
    if field.language == settings.LANGUAGE_CODE:
        return label
    return f"{label} ({dict(settings.LANGUAGES).get(field.language, field.language)})"
