"""Form widgets for public filter forms."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

SELECTED = mark_safe(" selected")


class QuickSelect(forms.Select):
    """A <select> written in Python rather than through a template per option.

    Filter forms offer lists of hundreds of options (every investor with a published project);
    rendering each option through the widget templates took most of a list page's time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}

        def options(choices):
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    ("" if v is None else str(v), SELECTED if str(v) in selected else "", label)
                    for v, label in choices
                ),
            )

        parts = []
        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                parts.append(
                    format_html(
                        '<optgroup label="{}">{}</optgroup>', group_value, options(group_label)
                    )
                )
            else:
                parts.append(options([(group_value, group_label)]))
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(parts)))
