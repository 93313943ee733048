"""The overview and the site-wide search."""

from django import forms
from django.db.models import F
from django.shortcuts import render
from django_countries import countries

from partnership.agreements.models import Agreement, AgreementParty, AgreementStatus
from partnership.core import search as site_search
from partnership.initiatives.models import Initiative, InitiativeStatus
from partnership.investments import selectors as investment_selectors
from partnership.investments.models import InvestmentFigure
from partnership.organizations.models import Organization

LATEST_AGREEMENTS = 6
ACTIVE_INITIATIVES = 6
RECENT_FIGURES = 8


def partner_countries():
    """Names of the countries whose organizations are parties to published agreements."""
    codes = (
        AgreementParty.objects.filter(
            agreement__in=Agreement.objects.published(),
            organization__in=Organization.objects.published(),
        )
        .exclude(organization__country="")
        .order_by()
        .values_list("organization__country", flat=True)
        .distinct()
    )
    return sorted(countries.name(code) for code in codes)


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


def home(request):
    agreements = Agreement.objects.published()
    initiatives = Initiative.objects.published()
    figures = list(
        InvestmentFigure.objects.published()
        .filter(amount__isnull=False)
        .prefetch_related("sources")
        .order_by(F("period_end").desc(nulls_last=True), "-period_start", "pk")[:RECENT_FIGURES]
    )
    ctx = {
        "sources": number_citations(figures),
        "partner_countries": partner_countries(),
        "agreements_in_force": agreements.filter(status=AgreementStatus.IN_FORCE).count(),
        "active_initiative_count": initiatives.filter(status=InitiativeStatus.ACTIVE).count(),
        "latest_figure": figures[0] if figures else None,
        "recent_figures": figures,
        "figure_charts": [
            item for item in investment_selectors.figure_charts() if not item["chart"]["empty"]
        ],
        "latest_agreements": agreements.order_by(F("signed_on").desc(nulls_last=True), "title")[
            :LATEST_AGREEMENTS
        ],
        "active_initiatives": initiatives.filter(status=InitiativeStatus.ACTIVE)[
            :ACTIVE_INITIATIVES
        ],
    }
    return render(request, "core/home.html", ctx)


class SearchForm(forms.Form):
    q = forms.CharField(max_length=site_search.MAX_QUERY_LENGTH, required=False)


def search(request):
    form = SearchForm(request.GET)
    q = request.GET.get("q", "").strip()
    ctx = {"search_query": q, "q": q, "groups": [], "problem": ""}
    if not form.is_valid():
        ctx["problem"] = " ".join(form.errors["q"])
    elif q:
        ctx["groups"] = site_search.search(form.cleaned_data["q"])
        ctx["total"] = sum(group.total for group in ctx["groups"])
    return render(request, "core/search.html", ctx)
