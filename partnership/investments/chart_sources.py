"""What each chart names under it: the sources of the rows it draws, and the address of the
same chart alone (`embed`), for the site's embed pages and downloads.

`embed` is {"name", "params"}: the chart's name in the embed addresses
(`investments-by-sector`, `figures-by-period`) and the filter values that pick exactly its
rows besides those of the page it stands on (its currency, its route and basis).
"""

from partnership.core.models import Source

from .models import Investment, InvestmentFigure

FIGURES_BY_PERIOD = "figures-by-period"


def project_chart_name(field):
    """ "investments-by-sector": the embed name of the chart of projects by `field`."""
    return f"investments-by-{field}"


def _order(sources):
    return sorted(
        sources, key=lambda source: (source.publisher.casefold(), source.title, source.pk)
    )


def project_sources_by_currency(queryset):
    """{currency: [Source]}: the sources cited by the projects of `queryset`, per currency
    (a chart draws one currency). Two queries."""
    links = (
        Investment.sources.through.objects.filter(investment__in=queryset.order_by().values("pk"))
        .order_by()
        .values_list("investment__currency", "source_id")
        .distinct()
    )
    pairs = list(links)
    sources = Source.objects.in_bulk({source_id for _, source_id in pairs})
    by_currency = {}
    for currency, source_id in pairs:
        by_currency.setdefault(currency, []).append(sources[source_id])
    return {currency: _order(found) for currency, found in by_currency.items()}


def tally_sources(tally):
    """`project_sources_by_currency` of the projects a Tally selects (see tally.py). Two
    queries."""
    found = tally.source_ids_by_currency()
    sources = Source.objects.in_bulk({pk for pks in found.values() for pk in pks})
    return {
        currency: _order(sources[pk] for pk in pks if pk in sources)
        for currency, pks in found.items()
    }


def figure_sources(figure_pks):
    """{figure pk: [Source]} for the figures named. One query."""
    links = InvestmentFigure.sources.through.objects.filter(
        investmentfigure_id__in=figure_pks
    ).select_related("source")
    result = {}
    for link in links:
        result.setdefault(link.investmentfigure_id, []).append(link.source)
    return result


def merged(groups):
    """The sources of several rows, each once, in the order a source line lists them."""
    seen = {}
    for sources in groups:
        for source in sources:
            seen.setdefault(source.pk, source)
    return _order(seen.values())
