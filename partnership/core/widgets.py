"""Form widgets for public filter forms, written in Python rather than through a template
per option: a facet may offer hundreds of options (every investor with a published project),
and rendering each through the widget templates took most of a list page's time."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

CHECKED = mark_safe(" checked")
OPEN = mark_safe(" open")


class ValuesMixin:
    """A widget of several values: they come as repeated parameters (`?stage=a&stage=b`);
    an empty one (`?stage=`) means the same as none, and one value given alone (a dict in
    Python) is taken as a list of one."""

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        values = getlist(name) if getlist else data.get(name)
        if values is None:
            return []
        if isinstance(values, str):
            values = [values]
        return [value for value in values if value != ""]

    def value_omitted_from_data(self, data, files, name):
        return name not in data


class HiddenValues(ValuesMixin, forms.MultipleHiddenInput):
    """Values kept in hidden fields: a filter pages link to rather than one the form offers."""


class FacetWidget(ValuesMixin, forms.CheckboxSelectMultiple):
    """One check box per option, each with the number of rows it gives, written in Python.

    `counted` holds the options once the FilterSet has counted them (see core/facets.py):
    (value, label, count) in the order to show them; until then the field's own choices are
    shown without counts. The first `shown` options are listed, the rest fold under "Show
    N more" (open while one of them is checked); `unlisted` more are not listed at all, and
    `unlisted_hint` says how to reach them. `empty_text`, if any, is said when there is no
    option at all (otherwise the form leaves the filter out).

    Its values are read as ValuesMixin says.
    """

    facet = True

    def __init__(self, *args, shown=8, unlisted_hint="", empty_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.shown = shown
        self.unlisted_hint = unlisted_hint
        self.empty_text = empty_text
        self.counted = None
        self.unlisted = 0

    def options(self):
        """(value, label, count) of every option to list; count None when not counted."""
        if self.counted is not None:
            return self.counted
        return [(str(value), label, None) for value, label in self.choices if value != ""]

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        chosen = set(self.format_value(value))

        def items(options):
            return format_html_join(
                "",
                '<li><label><input type="checkbox" name="{}" value="{}"{}>'
                ' <span class="facet-label">{}</span>{}</label></li>',
                (
                    (
                        name,
                        option,
                        CHECKED if option in chosen else "",
                        label,
                        ""
                        if count is None
                        else format_html(' <span class="facet-count">{}</span>', count),
                    )
                    for option, label, count in options
                ),
            )

        options = self.options()
        first, rest = options[: self.shown], options[self.shown :]
        parts = [format_html('<ul class="facet-options">{}</ul>', items(first))]
        if rest:
            is_open = OPEN if any(option in chosen for option, _, _ in rest) else ""
            parts.append(
                format_html(
                    '<details class="facet-more"{}><summary>Show {} more</summary>'
                    '<ul class="facet-options">{}</ul></details>',
                    is_open,
                    len(rest),
                    items(rest),
                )
            )
        if self.unlisted:
            parts.append(
                format_html(
                    '<p class="facet-note">{} more with fewer rows are not listed{}.</p>',
                    self.unlisted,
                    f"; {self.unlisted_hint}" if self.unlisted_hint else "",
                )
            )
        return format_html(
            "<div{}>{}</div>",
            flatatt({k: v for k, v in final_attrs.items() if k in ("id", "class")}),
            mark_safe("".join(parts)),
        )
