"""Filters for the initiatives list. The same FilterSet drives the HTML list and its exports."""

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from partnership.agreements.models import Agreement, CooperationArea
from partnership.core.facets import FacetedFilterSet, FacetFilter, ModelFacetFilter
from partnership.core.filters import (
    SwitchFilter,
    TextFilter,
    YearFilter,
    count_through,
    order_filter,
)
from partnership.core.models import published_q
from partnership.core.reported import LinkBasis
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

from .models import AreaLink, Initiative, InitiativeStatus, Participation
from .selectors import RELATIONS, relation_to, tie_stated, tied_to


def area_label(area):
    """Areas are numbered within their agreement, so the label names the agreement too."""
    agreement = area.agreement.short_title or area.agreement.title
    return f"{agreement} – {area}"


def serving_areas():
    return (
        CooperationArea.objects.published()
        .select_related("agreement")
        .filter(published_q("initiatives"))
        .distinct()
        .order_by("agreement__title", "number")
    )


def agreements_with_initiatives():
    """Published agreements a published initiative is tied to: under it, or serving an area."""
    return Agreement.objects.published_with("initiatives", "areas__initiatives").order_by("title")


def count_participants(rows):
    """Initiatives per participating organization, one grouped query."""
    return count_through(Participation.objects.all(), "initiative", "organization", rows)


YEAR_HELP = (
    "Started in or before the year and, as far as the sources tell, not ended before it. "
    "Initiatives with no reported start date are left out, since nothing says they were "
    "active that year; tick “Also list undated initiatives” to include them."
)


class InitiativeFilter(FacetedFilterSet):
    q = TextFilter(
        label=_("Words in the title or summary"), search_fields=("title", "acronym", "summary")
    )
    status = FacetFilter(label=_("Status (as last reported)"), choices=InitiativeStatus.choices)
    area = ModelFacetFilter(
        label=_("Cooperation area"),
        queryset=serving_areas(),
        field_name="areas",
        distinct=True,
        label_of=area_label,
        order="choices",
    )
    agreement = ModelFacetFilter(
        label=_("Agreement"),
        queryset=agreements_with_initiatives(),
        method="filter_agreement",
        count="each",
    )
    relation = FacetFilter(
        label=_("How it relates to that agreement"),
        choices=RELATIONS,
        method="filter_relation",
        count="each",
        help_text=_("Choose an agreement first: the relation is to that agreement."),
    )
    basis = FacetFilter(
        label=_("Link to the agreement or area known by"),
        choices=LinkBasis.choices,
        method="filter_basis",
        count="each",
    )
    organization = ModelFacetFilter(
        label=_("Participating organization"),
        queryset=Organization.objects.published_with("participations__initiative").order_by("name"),
        method="filter_organization",
        count=count_participants,
    )
    sector = ModelFacetFilter(
        label=_("Sector"),
        queryset=Sector.objects.published_with("initiatives").order_by("name"),
        field_name="sectors",
        distinct=True,
    )
    year = YearFilter(
        label=_("Active in year (as reported)"), method="filter_year", help_text=YEAR_HELP
    )
    undated = SwitchFilter(
        label=_("Also list undated initiatives"),
        method="filter_undated",
        help_text=_(
            "With a year: add the initiatives that have no reported start date (undated=yes)."
        ),
    )
    o = order_filter(
        ("title", _("Title, A to Z"), _("Title, Z to A")),
        ("start_date", _("Start, earliest first"), _("Start, latest first")),
        ("end_date", _("End, earliest first"), _("End, latest first")),
        empty_label=_("Title, A to Z"),
    )

    facet_models = (Initiative, AreaLink, Participation, Agreement, Organization, Sector)

    class Meta:
        model = Initiative
        fields = []

    def facet_available(self, name):
        """How an initiative relates to an agreement is offered once one is chosen."""
        if name == "relation":
            return bool(self.in_use().get("agreement"))
        return True

    def filter_agreement(self, queryset, name, value: list[Agreement]):
        """Initiatives tied to any of the agreements: under it, or serving one of its
        cooperation areas (the agreement's page lists the same)."""
        return queryset.filter(reduce(or_, (tied_to(agreement) for agreement in value)))

    def filter_relation(self, queryset, name, value: list[str]):
        """Carried out under one of the chosen agreements, or related work, as their pages
        split them."""
        agreements = self.form.cleaned_data.get("agreement")
        if not agreements:
            return queryset
        chosen = [
            relation_to(agreement, relation) for agreement in agreements for relation in value
        ]
        return queryset.filter(reduce(or_, chosen))

    def filter_basis(self, queryset, name, value: list[str]):
        """How the link is known: the tie to a chosen agreement, the link to a chosen area,
        or, with neither chosen, any tie or link of the initiative."""
        agreements = self.form.cleaned_data.get("agreement")
        areas = self.form.cleaned_data.get("area")
        if areas:
            links = AreaLink.objects.filter(
                initiative=OuterRef("pk"), area__in=areas, basis__in=value
            )
            return queryset.filter(Exists(links))
        if agreements:
            chosen = Q()
            for agreement in agreements:
                stated = tie_stated(agreement)
                if LinkBasis.STATED in value:
                    chosen |= stated
                if LinkBasis.INFERRED in value:
                    chosen |= tied_to(agreement) & ~stated
            return queryset.filter(chosen)
        links = AreaLink.objects.filter(initiative=OuterRef("pk"), basis__in=value)
        return queryset.filter(
            Q(agreement__isnull=False, agreement_basis__in=value) | Exists(links)
        )

    def is_valid(self):
        valid = super().is_valid()
        if (
            valid
            and self.form.cleaned_data.get("relation")
            and not self.form.cleaned_data.get("agreement")
        ):
            self.form.add_error(
                "relation", "Choose an agreement: the relation is to that agreement."
            )
            return False
        return valid

    def filter_organization(self, queryset, name, value: list[Organization]):
        participations = Participation.objects.filter(
            initiative=OuterRef("pk"), organization__in=value
        )
        return queryset.filter(Exists(participations))

    def filter_year(self, queryset, name, value: int):
        """Active in the year, as far as the sources tell: started in or before it, and ended
        in or after it; with no end date, a source reported its status in or after that year
        (or the year is the one it started). Nothing is taken as still running today because
        no end was reported. One with no start date is left out (nothing says it was active
        that year) unless `undated` asks for it.
        """
        active = Q(start_date__year__lte=value) & (
            Q(end_date__year__gte=value)
            | Q(end_date__isnull=True, status_as_of__year__gte=value)
            | Q(end_date__isnull=True, start_date__year=value)
        )
        if self.form.cleaned_data.get("undated"):
            active |= Q(start_date__isnull=True)
        return queryset.filter(active)

    def filter_undated(self, queryset, name, value):
        return queryset  # read by filter_year
