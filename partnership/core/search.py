"""One search across every published kind of record, one query per kind.

Where a kind has a list page, the search uses that list's own FilterSet, so the "more" link
shows exactly the rows counted here.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Window
from django.urls import reverse
from django.utils.http import urlencode

from partnership.agreements.filters import AgreementFilter
from partnership.agreements.models import Agreement, CooperationArea, Policy
from partnership.initiatives.filters import InitiativeFilter
from partnership.initiatives.models import Initiative
from partnership.investments.filters import InvestmentFilter
from partnership.investments.models import Investment
from partnership.organizations.filters import OrganizationFilter
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

MAX_QUERY_LENGTH = 200
SHOWN_PER_KIND = 20


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    singular: str
    base: Any  # callable: the published rows, with what the result template needs
    fields: tuple = ()  # searched with icontains when there is no list FilterSet
    filterset: Any = None  # the list page's FilterSet, searched through its `q`
    list_url: str = ""  # the list page the "more" link opens with ?q=

    def matching(self, q):
        rows = self.base()
        if self.filterset is not None:
            filterset = self.filterset({"q": q}, queryset=rows)
            return filterset.qs if filterset.is_valid() else rows.none()
        condition = Q()
        for field in self.fields:
            condition |= Q(**{f"{field}__icontains": q})
        return rows.filter(condition)


KINDS = [
    Kind(
        "agreements",
        "Agreements",
        "agreement",
        Agreement.objects.published,
        filterset=AgreementFilter,
        list_url="agreements:list",
    ),
    Kind(
        "areas",
        "Cooperation areas",
        "cooperation area",
        lambda: CooperationArea.objects.published().select_related("agreement"),
        fields=("title", "summary"),
    ),
    Kind(
        "initiatives",
        "Initiatives",
        "initiative",
        Initiative.objects.published,
        filterset=InitiativeFilter,
        list_url="initiatives:list",
    ),
    Kind(
        "investments",
        "Investment projects",
        "investment project",
        Investment.objects.published,
        filterset=InvestmentFilter,
        list_url="investments:list",
    ),
    Kind(
        "organizations",
        "Organizations",
        "organization",
        Organization.objects.published,
        filterset=OrganizationFilter,
        list_url="organizations:list",
    ),
    Kind(
        "sectors",
        "Sectors",
        "sector",
        lambda: Sector.objects.published().select_related("parent"),
        fields=("name",),
        list_url="sectors:list",
    ),
    Kind(
        "policies",
        "Policies",
        "policy",
        Policy.objects.published,
        fields=("title", "acronym", "summary"),
    ),
]


@dataclass
class Group:
    kind: Kind
    rows: list
    total: int
    more_url: str

    @property
    def has_more(self):
        return self.total > len(self.rows)


def search(q, limit=SHOWN_PER_KIND):
    """The groups of published records matching q, each capped at `limit`, with exact totals.

    Each kind costs one query: the total comes from a window count over the same rows.
    """
    groups = []
    for kind in KINDS:
        matching = kind.matching(q)
        # Re-select by primary key so joins made while matching cannot inflate the count.
        rows = list(
            kind.base()
            .filter(pk__in=matching.values("pk"))
            .annotate(search_total=Window(Count("pk")))[:limit]
        )
        if not rows:
            continue
        more_url = ""
        if kind.list_url:
            more_url = reverse(kind.list_url) + "?" + urlencode({"q": q})
        groups.append(Group(kind, rows, rows[0].search_total, more_url))
    return groups
