"""Each chart alone, at an address of its own: to frame in another site's page
(`/embed/<chart>/?<the list's filters>`), or to download as SVG or PNG.

A chart is named by what it draws (`investments-by-sector`, `figures-by-period`) and picks
its rows with the same query string as the list it stands on, so a chart framed elsewhere
shows what the list shows. Embed pages are the only pages other sites may frame: they send
no X-Frame-Options and a Content-Security-Policy whose `frame-ancestors` is `*`; every other
page keeps DENY and `'none'`.
"""

import textwrap
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from partnership.core import versions
from partnership.core.listing import filter_rows
from partnership.investments.chart_sources import FIGURES_BY_PERIOD, project_chart_name
from partnership.investments.figure_charts import figure_charts
from partnership.investments.filters import FigureFilter, InvestmentFilter
from partnership.investments.selectors import figure_rows, investment_rows
from partnership.investments.totals import BREAKDOWNS, cached_analysis, investment_charts

# Query parameters that change a list's page or order, never a chart's rows.
NOT_FILTERS = {"page", "ordering", "o", "sort"}


def framable(view):
    """Let any site frame the view's pages: no X-Frame-Options, and `frame-ancestors *` in
    the Content-Security-Policy, which otherwise keeps the site's own."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}
        return response

    return xframe_options_exempt(wrapped)


@dataclass(frozen=True)
class ChartKind:
    """One kind of chart: the FilterSet that picks its rows, how to draw them, and the list
    it comes from (the page its embed links back to)."""

    filterset: type
    rows: object
    draw: object
    list_view: str
    noun: str

    def filter(self, query):
        return self.filterset(query or None, queryset=self.rows())

    def charts(self, name, filterset):
        """The chart's drawings for the filters (one per currency or route; usually one),
        kept in the shared cache like the list's."""
        params = [
            (key, value)
            for key in filterset.data
            for value in filterset.data.getlist(key)
            if key not in NOT_FILTERS
        ]
        return cached_analysis(f"embed:{name}", lambda: self.draw(filterset), params)


def _projects_by(field):
    def draw(filterset):
        groups = investment_charts(
            filter_rows(filterset), breakdowns=(field,), tally=filterset.tally
        )[0]["groups"]
        return [group["chart"] | {"sums": group["sums"]} for group in groups]

    return draw


def _figures(filterset):
    charts = figure_charts(filter_rows(filterset))
    return [item["chart"] for item in charts if not item["chart"]["empty"]]


CHARTS = {
    project_chart_name(field): ChartKind(
        InvestmentFilter, investment_rows, _projects_by(field), "investments:list", "projects"
    )
    for field in BREAKDOWNS
}
CHARTS[FIGURES_BY_PERIOD] = ChartKind(
    FigureFilter, figure_rows, _figures, "investments:figures", "reported figures"
)


def chart_kind(name):
    try:
        return CHARTS[name]
    except KeyError:
        raise Http404(_("There is no such chart.")) from None


def embed_query(chart, data=None):
    """The query string of a chart's embed address: the filters that drew the page's
    charts (`data`, a QueryDict; none on a page whose rows are not a list's), less paging
    and order, with the chart's own values (its currency, route) in place of any others."""
    query = data.copy() if data is not None else QueryDict(mutable=True)
    for name in NOT_FILTERS:
        query.pop(name, None)
    for name, value in chart["embed"]["params"]:
        query.setlist(name, [value])
    return query.urlencode()


def chart_addresses(request, chart, data=None):
    """The addresses of a chart alone: its embed page (relative and absolute), its SVG and
    PNG downloads, and the <iframe> snippet a visitor copies into their own page."""
    name = chart["embed"]["name"]
    query = embed_query(chart, data)
    suffix = f"?{query}" if query else ""
    page = reverse("site:embed", args=[name]) + suffix
    absolute = request.build_absolute_uri(page)
    height = chart["height"] + 260
    # Plain text for the visitor to copy: the attributes escaped here, the whole escaped
    # again by the template that shows it.
    snippet = (
        f'<iframe src="{escape(absolute)}" title="{escape(chart["title"])}" width="100%" '
        f'height="{height}" style="border:0;max-width:{chart["width"] + 40}px" '
        'loading="lazy"></iframe>'
    )
    return {
        "page": page,
        "absolute": absolute,
        "svg": reverse("site:embed_svg", args=[name]) + suffix,
        "png": reverse("site:embed_png", args=[name]) + suffix,
        "png_absolute": request.build_absolute_uri(reverse("site:embed_png", args=[name]) + suffix),
        "snippet": snippet,
    }


# The standalone SVG: title, chart, sources and where it comes from ---------------------------

MARGIN = 16
LINE = 18


def _lines(text, width):
    """The text wrapped to the drawing's width (about 7 pixels a character at 12 px)."""
    return textwrap.wrap(text, max(int(width / 7.2), 20)) or [""]


def source_words(sources):
    """ "Sources: PR Newswire; Bangkok Post" — each publisher once, in order."""
    publishers = []
    for source in sources:
        if source.publisher not in publishers:
            publishers.append(source.publisher)
    if not publishers:
        return _("No source cited.")
    names = "; ".join(publishers)
    if len(publishers) == 1:
        return _("Source: %(names)s.") % {"names": names}
    return _("Sources: %(names)s.") % {"names": names}


def drawing(charts, *, back_link, data_version=""):
    """Where each part of the standalone SVG stands: for each chart its title lines, its
    offset and its source lines, then the credit line. Returns {"width", "height", "parts",
    "credit"}."""
    width = max((chart["width"] for chart in charts), default=560) + 2 * MARGIN
    y = MARGIN
    parts = []
    for chart in charts:
        title = [(line, y + LINE * (i + 1)) for i, line in enumerate(_lines(chart["title"], width))]
        y += LINE * len(title) + 8
        chart_y = y
        y += chart["height"] + 8
        sources = []
        for line in _lines(source_words(chart.get("sources", [])), width - 2 * MARGIN):
            y += LINE
            sources.append((line, y))
        y += 16
        parts.append({"chart": chart, "title": title, "y": chart_y, "sources": sources})
    if data_version:
        credit = _("From Partnership Tracker, data version %(version)s:") % {
            "version": data_version
        }
    else:
        credit = _("From Partnership Tracker:")
    credit_lines = []
    for line in [credit, *_lines(back_link, width - 2 * MARGIN)]:
        y += LINE
        credit_lines.append((line, y))
    return {"width": width, "height": y + MARGIN, "parts": parts, "credit": credit_lines}


# The views' work ------------------------------------------------------------------------------


def _label(filterset, field):
    form_field = filterset.form.fields.get(field)
    return form_field.label if form_field is not None else field


def embed_context(request, name):
    """(context, status): the charts an embed address draws, each with its own addresses,
    and the link back to the list; or, for filters that cannot be used, what is wrong with
    them and 400."""
    kind = chart_kind(name)
    filterset = kind.filter(request.GET)
    if filterset.is_bound and not filterset.is_valid():
        errors = [
            f"{_label(filterset, field)}: {' '.join(messages)}"
            for field, messages in filterset.form.errors.items()
        ]
        return {"errors": errors, "kind": kind, "name": name}, 400
    data = filterset.data if filterset.is_bound else None
    charts = [
        chart | {"addresses": chart_addresses(request, chart, data)}
        for chart in kind.charts(name, filterset)
    ]
    query = embed_query({"embed": {"params": []}}, data)
    back = reverse(kind.list_view) + (f"?{query}" if query else "")
    return {
        "charts": charts,
        "kind": kind,
        "name": name,
        "back": back,
        "back_absolute": request.build_absolute_uri(back),
    }, 200


def refusal(ctx):
    """A download asked for with filters that cannot be used: what is wrong, as text."""
    text = (
        _("This chart cannot be drawn with these filters:") + "\n" + "\n".join(ctx["errors"]) + "\n"
    )
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


def svg_bytes(request, ctx):
    """The standalone SVG of the charts in `ctx` (from `embed_context`)."""
    version = versions.for_request(request)
    layout = drawing(
        ctx["charts"],
        back_link=ctx["back_absolute"],
        data_version=str(version) if version.changed else "",
    )
    return render_to_string("site/chart.svg", {"drawing": layout}).encode()


class CannotDraw(Exception):
    """The server lacks the Cairo library that draws PNG pictures."""


def png_bytes(svg):
    """The SVG drawn as a PNG at twice its size, on the server (CairoSVG, which needs the
    system's Cairo library; imported here so that a server without it still serves every
    other page)."""
    try:
        import cairosvg
    except (ImportError, OSError) as error:
        raise CannotDraw(str(error)) from error
    return cairosvg.svg2png(bytestring=svg, scale=2, unsafe=False)


def download(content, name, extension):
    types = {"svg": "image/svg+xml", "png": "image/png"}
    response = HttpResponse(content, content_type=types[extension])
    response["Content-Disposition"] = f'inline; filename="{name}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
