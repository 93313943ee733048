import html
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import linebreaks_filter, truncatewords
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partnership.core import languages
from partnership.core.currencies import format_amount
from partnership.core.dates import (
    DatePrecision,
    format_datetime,
    format_fuzzy_date,
    format_period,
    machine_date,
)
from partnership.core.references import describe_uses
from partnership.core.translated_fields import text_in_language

register = template.Library()


@register.filter(expects_localtime=True)
def fuzzydate(value, precision=DatePrecision.DAY):
    """{{ milestone.date|fuzzydate:milestone.date_precision }} → "November 2019",
    "พฤศจิกายน 2562", "2019年11月" (see dates.format_fuzzy_date)."""
    return format_fuzzy_date(value, precision)


@register.filter(expects_localtime=True)
def moment(value):
    """{{ record.updated_at|moment }} → "2 December 2026, 14:05", in the page's language."""
    return format_datetime(value)


@register.filter
def period(record):
    """{{ investment|period }} → "Jan–Sep 2021", "ม.ค.–ก.ย. 2564", "2021年1月～9月" from a
    record's period_start and period_end; "" when it has none."""
    return format_period(record.period_start, record.period_end)


@register.simple_tag(takes_context=True)
def page_languages(context):
    """The page in each language, for the switcher and the hreflang links: dicts with code,
    name (in its own script), url (absolute), switch (the switcher's link) and current."""
    request = context.get("request")
    if request is None:
        return []
    return [
        {
            "code": code,
            "name": name,
            "url": request.build_absolute_uri(path),
            "switch": languages.switch_url(code, path),
            "current": current,
        }
        for code, name, path, current in languages.alternates(request)
    ]


@register.filter
def isodate(value, precision=DatePrecision.DAY):
    """<time datetime="{{ milestone.date|isodate:milestone.date_precision }}"> → "2019-11"."""
    return machine_date(value, precision)


@register.filter
def money(record):
    """{{ investment|money }} → "3,062 million baht", "around 70 billion baht" (any record
    with amount, currency, amount_unit and amount_approximate)."""
    approximate = getattr(record, "amount_approximate", False)
    return format_amount(record.amount, record.currency, record.amount_unit, approximate)


@register.simple_tag
def amount(value, currency, unit=1_000_000):
    """{% amount total "THB" %} → "67,817 million baht" for totals that are not records."""
    return format_amount(value, currency, unit)


@register.filter
def uses(cited_for):
    """What a source is cited for on the page, as one phrase (see references.describe_uses)."""
    return describe_uses(cited_for)


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Kept as plain text (the escaping of printed variables undone), so that printing it
        # escapes it whole, as an attribute needs: a literal quote in a page's
        # description, as well as its variables.
        context[self.name] = html.unescape(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser, token):
    """{% capture as page_title %}{% block title %}{% endblock %}{% endcapture %}: render
    the enclosed template once, blocks a page overrides included, into a text variable the
    rest of the template may print several times (the <title> and its Open Graph copy).
    Tags in the enclosed output are kept as text: capture words, not markup."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}…{% endcapture %}.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag
def translated(record, name, linebreaks=False, words=None):
    """A record's text (`name`: "title", "summary") in the page's language. Where it is not
    yet translated, the English, marked as English (`lang="en"`) for browsers and screen
    readers, followed by a small note saying so. `linebreaks`: as paragraphs; `words`:
    shortened to that many words."""
    text, untranslated = text_in_language(record, name)
    if not text:
        return ""
    if words:
        text = truncatewords(text, words)
    body = linebreaks_filter(text, autoescape=True) if linebreaks else conditional_escape(text)
    if not untranslated:
        return mark_safe(body)
    return _marked_english(body, "div" if linebreaks else "span")


@register.filter
def english_only(text):
    """A text the record keeps in English only (what is uncertain about it), as paragraphs:
    on a Thai or Japanese page marked as English and as not yet translated, as `translated`
    marks an untranslated text."""
    body = linebreaks_filter(text, autoescape=True)
    if get_language() == settings.LANGUAGE_CODE:
        return mark_safe(body)
    return _marked_english(body, "div")


def _marked_english(body, element):
    return format_html(
        '<{0} lang="en">{1}</{0}> <small class="untranslated">{2}</small>',
        element,
        body,
        _("not yet translated"),
    )


@register.simple_tag
def latest_of(shown, count, parameter, slug):
    """The note under a page's few latest projects when there are more: "The 20 latest of
    1,105 published projects; all 1,105 in the investments list", linked to that list filtered
    by `parameter`=`slug` (`investor`, `initiative`, `sector`); empty when all are shown."""
    if count <= shown:
        return ""
    address = f"{reverse('investments:list')}?{urlencode({parameter: slug})}"
    note = _(
        'The %(shown)s latest of %(count)s published projects; <a href="%(address)s">all '
        "%(count)s in the investments list</a>."
    )
    return mark_safe(note % {"shown": shown, "count": intcomma(count), "address": escape(address)})
