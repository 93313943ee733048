"""The overview, the site-wide search, the data dictionary and the method page."""

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django_countries import countries

from partnership.agreements import selectors as agreement_selectors
from partnership.agreements.models import AgreementStatus
from partnership.core.listing import filtered_page
from partnership.core.models import STANDINGS
from partnership.core.references import References
from partnership.core.reported import as_of_summary
from partnership.initiatives import selectors as initiative_selectors
from partnership.initiatives.models import InitiativeStatus
from partnership.investments import selectors as investment_selectors
from partnership.investments.figure_charts import figure_charts
from partnership.investments.totals import cached_charts
from partnership.search import index as search_index

from . import embeds
from . import timeline as site_timeline
from .datasets import DATASETS

LATEST_AGREEMENTS = 6
ACTIVE_INITIATIVES = 6
RECENT_FIGURES = 8


def partner_countries():
    """Names of the countries whose organizations are parties to published agreements."""
    return sorted(countries.name(code) for code in agreement_selectors.party_country_codes())


def number_citations(records):
    """The sources cited by records, numbered in order of first citation.

    Each record gets `citations`: (number, source) pairs for its markers [1], [2] that link
    to the numbered list the page ends with.
    """
    numbers = {}
    for record in records:
        record.citations = []
        for source in record.sources.all():
            number = numbers.setdefault(source, len(numbers) + 1)
            record.citations.append((number, source))
    return list(numbers)


STANDING_PHRASES = {
    "official": gettext_lazy("%(count)s from an official publication"),
    "repost": gettext_lazy("%(count)s from a distributor's copy or repost of a release"),
    "news": gettext_lazy("%(count)s from news reports only"),
    "none": gettext_lazy("%(count)s with no source"),
}


def standings(figures):
    """In words, how the figures reach the record: how many rest on an official publication,
    a distributor's copy or repost, or news reports only, strongest first."""
    counts = {}
    for figure in figures:
        counts[figure.source_standing] = counts.get(figure.source_standing, 0) + 1
    parts = [STANDING_PHRASES[key] % {"count": counts[key]} for key in STANDINGS if counts.get(key)]
    text = "; ".join(parts)
    if figures and not counts.get("official"):
        text += ". " + _("None is cited from the reporting body's own publication")
    return text + "." if text else ""


def reported_investment():
    """The overview's investment: the latest reported figures, the sources they cite (and
    how firmly: official publication, repost or news), and the charts of figures over time.
    Kept in the shared cache like the investments page's."""
    figures = list(investment_selectors.recent_figures(RECENT_FIGURES))
    return {
        "figure_sources": number_citations(figures),
        "figure_standings": standings(figures),
        "latest_figure": figures[0] if figures else None,
        "recent_figures": figures,
        "figure_charts": [item for item in figure_charts() if not item["chart"]["empty"]],
    }


def home(request):
    agreements = agreement_selectors.agreement_rows()
    initiatives = initiative_selectors.initiative_rows()
    in_force = agreements.filter(status=AgreementStatus.IN_FORCE)
    active = initiatives.filter(status=InitiativeStatus.ACTIVE)
    ctx = {
        "partner_countries": partner_countries(),
        "agreements_in_force": in_force.count(),
        "in_force_as_of": as_of_summary(in_force),
        "active_initiative_count": active.count(),
        "active_as_of": as_of_summary(active),
        **cached_charts("overview", reported_investment),
        "latest_agreements": list(
            agreements.select_related("status_source").prefetch_related("sources")[
                :LATEST_AGREEMENTS
            ]
        ),
        "active_initiatives": list(
            active.select_related("status_source").prefetch_related("sources")[:ACTIVE_INITIATIVES]
        ),
    }
    # The figures' sources keep the numbers of their markers; then those of the rest.
    sources = References(ctx["figure_sources"])
    agreement_selectors.cite_agreements(sources, ctx["latest_agreements"])
    for initiative in ctx["active_initiatives"]:
        sources.cite(initiative.sources.all(), initiative.short_name)
        sources.cite([initiative.status_source], f"the status of {initiative.short_name}")
    ctx["sources"] = sources
    return render(request, "site/home.html", ctx)


MAX_QUERY_LENGTH = 200
LAST_PAGE = 10_000


class SearchForm(forms.Form):
    q = forms.CharField(max_length=MAX_QUERY_LENGTH, required=False, strip=True)
    kind = forms.ChoiceField(
        choices=[("", "All")] + [(kind.key, kind.label) for kind in search_index.KINDS],
        required=False,
    )
    page = forms.IntegerField(min_value=1, max_value=LAST_PAGE, required=False)


def search(request):
    """One search across every published record: results ranked, a page at a time, with
    the number found of each kind (each a link narrowing the search to it) and the passage
    each matched in. A query that cannot be searched for gets a message saying why."""
    q = request.GET.get("q", "").strip()
    form = SearchForm(request.GET)
    ctx = {"search_query": q, "q": q, "results": None, "problem": "", "kind": ""}
    if not form.is_valid():
        ctx["problem"] = " ".join(error for errors in form.errors.values() for error in errors)
    elif q:
        kind = form.cleaned_data["kind"]
        ctx["kind"] = kind
        try:
            results = search_index.search(
                form.cleaned_data["q"],
                kinds=[kind] if kind else None,
                page=form.cleaned_data["page"] or 1,
            )
        except (search_index.QueryProblem, search_index.PageProblem) as problem:
            ctx["problem"] = str(problem)
        else:
            language = translation.get_language()
            if language != settings.LANGUAGE_CODE:
                for hit in results.hits:
                    if hit.url.startswith("/"):
                        hit.url = translate_url(hit.url, language)
            ctx["results"] = results
            labels = {each.key: each.label for each in search_index.KINDS}
            ctx["kind_label"] = labels.get(kind, "")
    return render(request, "site/search.html", ctx)


def timeline(request):
    """Every dated event of the partnership, filtered by kind and year, in date order."""
    ctx = filtered_page(request, site_timeline.TimelineFilter, site_timeline.timeline_rows())
    ctx["events"] = site_timeline.events(ctx["rows"])
    ctx["sources"] = site_timeline.cite_events(References(), ctx["events"])
    return render(request, "site/timeline.html", ctx)


def data_dictionary(request):
    """What each column of every download means, from the columns the downloads write."""
    return render(request, "site/data_dictionary.html", {"datasets": DATASETS})


def method(request):
    """How the record is kept: what it includes, its sources, the data version, how to cite it
    and where to report an error (CONTACT_EMAIL)."""
    ctx = {
        "contact_email": settings.CONTACT_EMAIL,
        "site_name": settings.SITE_NAME,
        "site_publisher": settings.SITE_PUBLISHER,
    }
    return render(request, "site/method.html", ctx)


# Charts alone: to frame in other sites, and as SVG and PNG ------------------------------------


@embeds.framable
@require_safe
def embed(request, name):
    """A chart alone, with its title, unit, sources and a link back, for other sites to
    frame; the same filters as the list it comes from."""
    ctx, status = embeds.embed_context(request, name)
    return render(request, "site/embed.html", ctx, status=status)


@require_safe
def embed_svg(request, name):
    """The chart as an SVG file, with its title, sources and where it comes from."""
    ctx, status = embeds.embed_context(request, name)
    if status != 200:
        return embeds.refusal(ctx)
    return embeds.download(embeds.svg_bytes(request, ctx), name, "svg")


@require_safe
def embed_png(request, name):
    """The chart as a PNG picture, drawn from the same SVG on the server."""
    ctx, status = embeds.embed_context(request, name)
    if status != 200:
        return embeds.refusal(ctx)
    try:
        picture = embeds.png_bytes(embeds.svg_bytes(request, ctx))
    except embeds.CannotDraw:
        message = "PNG pictures cannot be drawn on this server; the SVG file is available."
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    return embeds.download(picture, name, "png")
