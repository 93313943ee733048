"""The record's text in every language of the site.

django-modeltranslation gives each field named here a column per language (`title_en`,
`title_th`, `title_ja`); reading `record.title` gives the text in the active language, or
the English where that language's is empty. English is required wherever the field itself is;
Thai and Japanese are optional. A record's history keeps every language: its historical model
is registered with the same fields.

The field's own column (`title`) keeps the English: it is what the database sorts by (a sector
list ordered by name) and what a reader of the raw table finds, whatever language the editor's
admin was in when they saved.

Each app names its translated fields in its own `translation.py` with `translate()`.
"""

from modeltranslation.translator import TranslationOptions, translator
from modeltranslation.utils import build_localized_fieldname

from partnership.core.models import Source
from partnership.core.translated_fields import language_fields


def translate(model, *fields, empty_values=None):
    """Register `fields` of `model` (and of its history) as written in each language."""
    empty_values = empty_values or {}
    # An untranslated text is empty (""), as the field's own is: a form that leaves it empty
    # changes nothing. A field that holds nothing as NULL (a unique name) keeps NULL.
    options = {
        name: {"default": {"default": ""}}
        for name in fields
        if empty_values.get(name, "") is not None
    }
    attrs = {"fields": fields, "required_languages": ("en",), "field_options": options}
    if empty_values:
        attrs["empty_values"] = empty_values
    options = type(f"{model.__name__}TranslationOptions", (TranslationOptions,), attrs)
    history = getattr(model, model._meta.simple_history_manager_attribute).model
    for registered in (model, history):
        translator.register(registered, options)
        for name in fields:
            _keep_english(registered._meta.get_field(name))
    history.tracked_fields = _with_languages(model, history.tracked_fields, fields)
    _instance_with_languages(model, history, fields)
    _diff_by_language(history, fields)


def _instance_with_languages(model, history, names):
    """A history entry's record (`entry.instance`, what the admin's revert form opens with)
    holds every language of the entry, not only the active one's."""
    columns = [column for name in names for column in language_fields(model, name)]
    read = history.instance.fget

    def get_instance(entry):
        record = read(entry)
        for column in columns:
            setattr(record, column, getattr(entry, column))
        return record

    history.instance = property(get_instance)


def _diff_by_language(history, names):
    """What changed between two history entries (`entry.diff_against()`) names a translated
    field by its language columns ("title_en", "title_th"), not also by the field's own, a
    copy of the English that reads as the active language's text."""
    diff_against = history.diff_against

    def diff_by_language(entry, old_history, excluded_fields=None, included_fields=None, **kw):
        if included_fields is None:
            excluded_fields = {*names, *(excluded_fields or ())}
        return diff_against(entry, old_history, excluded_fields, included_fields, **kw)

    history.diff_against = diff_by_language


def _with_languages(model, tracked, names):
    """The fields a history compares (its `tracked_fields`), each translated field followed by
    its language columns: a change to the Thai title is a change the history shows."""
    fields = []
    for field in tracked:
        fields.append(field)
        if field.name in names:
            fields += [
                model._meta.get_field(column) for column in language_fields(model, field.name)
            ]
    return fields


def _keep_english(field):
    """Save the English text in `field`'s own column, not the active language's."""
    english = build_localized_fieldname(field.name, "en")

    def pre_save(instance, add):
        value = getattr(instance, english)
        return field.get_default() if value is None else value

    field.pre_save = pre_save


translate(Source, "title")
