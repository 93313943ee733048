"""{% chart_addresses chart as addresses %}: where a chart on a page can be had alone — its
embed page, the <iframe> snippet, SVG and PNG — with the filters that drew the page's charts
(the list's FilterSet, `filter`, when the page is a list)."""

from django import template
from django.urls import reverse

from partnership.site import embeds

register = template.Library()


@register.simple_tag(takes_context=True)
def chart_addresses(context, chart):
    if not chart.get("embed") or "request" not in context:
        return None
    return embeds.chart_addresses(context["request"], chart, _filter_data(context))


@register.simple_tag
def source_line(sources, limit=6):
    """{% source_line chart.sources 6 as line %}: the first `limit` sources to name under a
    chart (`line.shown`) and how many more there are (`line.more`)."""
    sources = list(sources or [])
    return {"shown": sources[:limit], "more": max(len(sources) - limit, 0), "count": len(sources)}


def _page_charts(context):
    summary = context.get("summary")
    if summary:
        for breakdown in summary.get("breakdowns", []):
            for group in breakdown["groups"]:
                yield group["chart"]
    for item in context.get("figure_charts") or []:
        yield item["chart"]
    for breakdown in context.get("investment_charts") or []:
        for group in breakdown["groups"]:
            yield group["chart"]


@register.simple_tag(takes_context=True)
def share_image(context):
    """The picture a shared link to the page previews with ({"url", "alt"}), or None: the
    PNG of the page's first chart; for a list without charts, and the overview, that of the
    reported figures over time. Record pages have none."""
    request = context.get("request")
    if request is None:
        return None
    for chart in _page_charts(context):
        if chart.get("embed") and not chart.get("empty"):
            addresses = embeds.chart_addresses(request, chart, _filter_data(context))
            return {"url": addresses["png_absolute"], "alt": chart["title"]}
    is_list = context.get("page_obj") is not None and context.get("filter") is not None
    if is_list or (request.resolver_match and request.resolver_match.view_name == "site:home"):
        url = reverse("site:embed_png", args=[embeds.FIGURES_BY_PERIOD])
        return {
            "url": request.build_absolute_uri(url),
            "alt": "Reported investment figures over time",
        }
    return None


def _filter_data(context):
    filterset = context.get("filter")
    return filterset.data if filterset is not None and filterset.is_bound else None
