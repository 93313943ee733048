"""Records whose text is written in several languages: each language's text side by side in
the form (django-modeltranslation's `TranslationAdmin`: "Title [en]", "Title [th]",
"Title [ja]", one under the other, no script), and a Publisher's view of what is not yet
translated: a list filter ("Missing Thai translation") and, in each list, the languages a
record lacks (in the quality column of a list that has one, in a column of their own
otherwise).

A text counts as missing in a language where the English has it and that language does not.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from partnership.core.translated_fields import (
    column,
    language_fields,
    other_languages,
    translated_fields,
)

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _empty(name):
    return Q(**{f"{name}__isnull": True}) | Q(**{name: ""})


def missing_translation_q(model, language):
    """The records of `model` with a text in English and none in `language`."""
    condition = Q(pk__in=[])
    for name in translated_fields(model):
        condition |= ~_empty(column(name, "en")) & _empty(column(name, language))
    return condition


def missing_languages(record):
    """The languages of the site (but English) some text of `record` lacks ("Thai")."""
    missing = []
    for language in other_languages():
        for name in translated_fields(type(record)):
            if getattr(record, column(name, "en")) and not getattr(record, column(name, language)):
                missing.append(gettext(LANGUAGE_NAMES[language]))
                break
    return missing


def stored_as_empty_text(db_field, formfield):
    """A language's text left empty is saved as the field keeps an empty text (""), not as
    NULL because the language's column allows it: a form saved unchanged changes nothing. A
    field that keeps nothing as NULL (a unique name) is left as it is."""
    if isinstance(formfield, forms.CharField) and getattr(db_field, "empty_value", None) == "":
        formfield.empty_value = ""
    return formfield


class MissingTranslationFilter(admin.SimpleListFilter):
    title = gettext_lazy("translation")
    parameter_name = "untranslated"

    def lookups(self, request, model_admin):
        return [
            (
                language,
                gettext("Missing %(language)s translation")
                % {"language": gettext(LANGUAGE_NAMES[language])},
            )
            for language in other_languages()
        ]

    def queryset(self, request, queryset):
        if self.value() in other_languages():
            return queryset.filter(missing_translation_q(queryset.model, self.value()))
        return queryset


class TranslatedAdmin(TranslationAdmin):
    """The admin of a record with translated text: each language side by side, searched in
    every language, with the filter and the column of missing translations."""

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), MissingTranslationFilter]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "missing_translations"]

    def get_search_fields(self, request):
        fields = []
        for name in super().get_search_fields(request):
            fields += language_fields(self.model, name)
        return fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return stored_as_empty_text(db_field, formfield)

    @admin.display(description=gettext_lazy("not yet translated into"))
    def missing_translations(self, obj):
        return ", ".join(missing_languages(obj)) or "–"


class TranslatedInlineMixin:
    """A part with translated text, each language side by side; no blank part until the
    editor adds one."""

    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return stored_as_empty_text(db_field, formfield)


class TranslatedStackedInline(TranslatedInlineMixin, TranslationStackedInline):
    """Parts with long translated text (an agreement's areas), one under the other."""


class TranslatedTabularInline(TranslatedInlineMixin, TranslationTabularInline):
    """Parts with short translated text (a signatory's title), as rows of a table."""
