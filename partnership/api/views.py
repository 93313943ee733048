"""Read-only endpoints of the open data API.

Each list is filtered by the very FilterSet its HTML list page uses, so a query string that
works on /agreements/ gives the same rows at /api/agreements/. An invalid filter value is a
400 naming the parameter (DjangoFilterBackend raises the form's errors).
"""

from django.utils.cache import patch_cache_control
from rest_framework import viewsets

from partnership.agreements.filters import AgreementFilter, AreaFilter
from partnership.initiatives.filters import InitiativeFilter
from partnership.investments.filters import FigureFilter, InvestmentFilter
from partnership.organizations.filters import OrganizationFilter
from partnership.sectors.filters import SectorFilter

from . import querysets, serializers

SLUG = r"[-a-zA-Z0-9_]+"
ID = r"[0-9]{1,18}"
# Caches (browsers, proxies) may keep a response this long, then revalidate with its ETag.
MAX_AGE = 60


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response


class AgreementViewSet(PublicViewSet):
    """Agreements: framework documents, memoranda, joint statements, partnership agreements.

    Filters are those of the agreements page (/agreements/); `o` orders the list.
    """

    queryset = querysets.agreements()
    serializer_class = serializers.AgreementSerializer
    filterset_class = AgreementFilter


class AreaViewSet(PublicViewSet):
    """Numbered cooperation areas each agreement sets out; filters as on /areas/."""

    queryset = querysets.areas()
    serializer_class = serializers.AreaSerializer
    filterset_class = AreaFilter


class InitiativeViewSet(PublicViewSet):
    """Programmes and projects that carry the cooperation areas out; filters as on
    /initiatives/."""

    queryset = querysets.initiatives()
    serializer_class = serializers.InitiativeSerializer
    filterset_class = InitiativeFilter


class InvestmentViewSet(PublicViewSet):
    """Single investment projects; filters as on /investments/.

    Never add these amounts to reported figures (/api/investment-figures/), and never add
    amounts in different currencies.
    """

    queryset = querysets.investments()
    serializer_class = serializers.InvestmentSerializer
    filterset_class = InvestmentFilter


class FigureViewSet(PublicViewSet):
    """Aggregate investment figures as a body reported them; filters as on
    /investments/figures/."""

    queryset = querysets.figures()
    serializer_class = serializers.FigureSerializer
    filterset_class = FigureFilter
    lookup_field = "pk"
    lookup_url_kwarg = "id"
    lookup_value_regex = ID


class OrganizationViewSet(PublicViewSet):
    """Ministries, agencies, companies and other bodies; filters as on /organizations/."""

    queryset = querysets.organizations()
    serializer_class = serializers.OrganizationSerializer
    filterset_class = OrganizationFilter


class SectorViewSet(PublicViewSet):
    """The sector tree. The list holds the broad sectors with their industries, filtered as on
    /sectors/; any sector, broad or not, has its own detail."""

    queryset = querysets.sectors()
    serializer_class = serializers.SectorSerializer
    filterset_class = SectorFilter

    def get_queryset(self):
        if self.action == "list":
            return querysets.top_sectors()
        return super().get_queryset()


class PolicyViewSet(PublicViewSet):
    """National and regional policies that agreements serve."""

    queryset = querysets.policies()
    serializer_class = serializers.PolicySerializer


class SourceViewSet(PublicViewSet):
    """Where the facts come from: every source a published record cites."""

    queryset = querysets.sources()
    serializer_class = serializers.SourceSerializer
    lookup_field = "pk"
    lookup_url_kwarg = "id"
    lookup_value_regex = ID
