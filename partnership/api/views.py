"""Read-only endpoints of the open data API, and its list of versions.

Each list is filtered by the very FilterSet its HTML list page uses, so a query string that
works on /agreements/ gives the same rows at /api/v1/agreements/. An invalid filter value is
a 400 naming the parameter (DjangoFilterBackend raises the form's errors), answered as
problem details like every other error (see problems.py).

What each endpoint reads comes from the apps' selectors (`*_records()`): published records
only, in the order of the HTML lists, with every relation prefetched from published records,
so a draft never appears in a list, a detail or a nested link, and the number of queries does
not grow with the number of rows.
"""

from urllib.parse import quote

from django.conf import settings
from django.db.models import F
from django.http import HttpResponsePermanentRedirect
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework import routers, viewsets
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from partnership.agreements import selectors as agreements
from partnership.agreements.filters import AgreementFilter, AreaFilter
from partnership.core import caching, versions
from partnership.core.models import Source
from partnership.initiatives import selectors as initiatives
from partnership.initiatives.filters import InitiativeFilter
from partnership.investments import selectors as investments
from partnership.investments.filters import FigureFilter, InvestmentFilter
from partnership.organizations import selectors as organizations
from partnership.organizations.filters import OrganizationFilter, PersonFilter
from partnership.sectors import selectors as sectors
from partnership.sectors.filters import SectorFilter

from . import serializers
from .http import ConditionalMixin
from .pagination import LargePagination

SLUG = r"[-a-zA-Z0-9_]+"
ID = r"[0-9]{1,18}"


class DataVersionMixin:
    """Every response names the data version it was read from (the X-Data-Version header),
    errors and 304s included."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return versions.stamp(response, request)


class PublicViewSet(DataVersionMixin, ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    translated = True
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def list(self, request, *args, **kwargs):
        return self.kept_answer(
            request, lambda: super(PublicViewSet, self).list(request, *args, **kwargs)
        )

    def retrieve(self, request, *args, **kwargs):
        return self.kept_answer(
            request, lambda: super(PublicViewSet, self).retrieve(request, *args, **kwargs)
        )

    def kept_answer(self, request, answer):
        """`answer()`, a list or a record, kept like the site's pages (core/caching.py)
        under its address, language, host and the data version: a read of unchanged data is
        a cache read, not a serialization of its rows. What is kept is the rendered body and
        the headers the view set (such as the pages' `Link`), after the rate limit counted
        the request (`initial()`); ETag, Last-Modified and the rest are set on every answer
        as before."""
        if not settings.CACHE_PAGES:
            return answer()
        key = caching.page_key("api", request)
        kept = caching.read_kept(key)
        if kept is None:
            response = answer()
            if response.status_code != 200:
                return response
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            kept = (response.rendered_content, dict(response.items()))
            caching.keep(key, kept)
        return RenderedResponse(*kept)


class RenderedResponse(Response):
    """An answer whose body was rendered before: sent as it is."""

    def __init__(self, body, headers):
        super().__init__(headers=headers)
        self.body = body

    @property
    def rendered_content(self):
        return self.body


class AgreementViewSet(PublicViewSet):
    """Agreements: framework documents, memoranda, joint statements, partnership agreements.

    Filters are those of the agreements page (/agreements/); `o` orders the list.
    """

    queryset = agreements.agreement_records()
    serializer_class = serializers.AgreementSerializer
    filterset_class = AgreementFilter


class AreaViewSet(PublicViewSet):
    """Numbered cooperation areas each agreement sets out; filters as on /areas/."""

    queryset = agreements.area_list()
    serializer_class = serializers.AreaSerializer
    filterset_class = AreaFilter


class InitiativeViewSet(PublicViewSet):
    """Programmes and projects that carry the cooperation areas out; filters as on
    /initiatives/."""

    queryset = initiatives.initiative_records()
    serializer_class = serializers.InitiativeSerializer
    filterset_class = InitiativeFilter


class InvestmentViewSet(PublicViewSet):
    """Single investment projects; filters as on /investments/.

    Never add these amounts to reported figures (/api/v1/investment-figures/), and never add
    amounts in different currencies.
    """

    pagination_class = LargePagination
    queryset = investments.investment_records()
    serializer_class = serializers.InvestmentSerializer
    filterset_class = InvestmentFilter


class FigureViewSet(PublicViewSet):
    """Aggregate investment figures as a body reported them; filters as on
    /investments/figures/."""

    queryset = investments.figure_records()
    serializer_class = serializers.FigureSerializer
    filterset_class = FigureFilter
    lookup_field = "pk"
    lookup_url_kwarg = "id"
    lookup_value_regex = ID


class OrganizationViewSet(PublicViewSet):
    """Ministries, agencies, companies and other bodies; filters as on /organizations/."""

    queryset = organizations.organization_records()
    serializer_class = serializers.OrganizationSerializer
    filterset_class = OrganizationFilter


class PersonViewSet(PublicViewSet):
    """People who signed a published agreement, each with what they signed (their title on
    the day, the party they signed for); filters as on /people/."""

    queryset = organizations.person_list()
    serializer_class = serializers.PersonRecordSerializer
    filterset_class = PersonFilter


class SectorViewSet(PublicViewSet):
    """The sector tree. The list holds the broad sectors with their industries, filtered as on
    /sectors/; any sector, broad or not, has its own detail."""

    queryset = sectors.sector_records()
    serializer_class = serializers.SectorSerializer
    filterset_class = SectorFilter

    def get_queryset(self):
        if self.action == "list":
            return sectors.top_sector_records()
        return super().get_queryset()


class PolicyViewSet(PublicViewSet):
    """National and regional policies that agreements serve."""

    queryset = agreements.policy_records()
    serializer_class = serializers.PolicySerializer


class SourceViewSet(PublicViewSet):
    """Where the facts come from: every source a published record cites."""

    queryset = Source.objects.cited().order_by(
        F("published_on").desc(nulls_last=True), "title", "pk"
    )
    serializer_class = serializers.SourceSerializer
    lookup_field = "pk"
    lookup_url_kwarg = "id"
    lookup_value_regex = ID


# The API's own pages ---------------------------------------------------------------------------


class APIRootView(DataVersionMixin, ConditionalMixin, routers.APIRootView):
    """Partnership Tracker's open data: every endpoint, the OpenAPI schema and its documentation.

    Read-only; only published records; the same filters as the site's list pages, and the
    site's search (`search`). Every
    response carries the data version in its X-Data-Version header; the root also names it
    (`data_version`) with the time of the record's last change (`data_changed`).
    """

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["schema"] = reverse("api:schema", request=request)
        response.data["docs"] = reverse("api:docs", request=request)
        response.data["search"] = reverse("api:search", request=request)
        version = versions.for_request(request)
        response.data["data_version"] = str(version)
        response.data["data_changed"] = version.changed_iso
        return response


class SchemaView(DataVersionMixin, ConditionalMixin, SpectacularJSONAPIView):
    """The OpenAPI 3 schema of this version, generated on each request: the values a filter
    accepts are read from the data, so the schema stays true as records are published."""


class DocsView(DataVersionMixin, ConditionalMixin, SpectacularSwaggerSplitView):
    """The schema's documentation (Swagger UI), from this site's own files. Its start-up
    script is served as its own URL, so the page needs no inline script and works under the
    site's Content-Security-Policy."""

    url_name = "api:schema"


@extend_schema(exclude=True)
class VersionsView(DataVersionMixin, ConditionalMixin, APIView):
    """The versions of the API, each with its endpoints, schema and documentation."""

    versioning_class = None

    def get(self, request):
        listed = []
        for version in api_settings.ALLOWED_VERSIONS:
            links = {"version": version}
            for name, view in (("url", "api-root"), ("schema", "schema"), ("docs", "docs")):
                links[name] = reverse(f"api:{view}", kwargs={"version": version}, request=request)
            links["status"] = "current" if version == api_settings.DEFAULT_VERSION else "supported"
            listed.append(links)
        return Response({"current": api_settings.DEFAULT_VERSION, "versions": listed})


def unversioned(request, path):
    """An address from before the API carried its version (/api/agreements/): moved for good
    to the same address in the current version, query string kept."""
    root = reverse("api:api-root", kwargs={"version": api_settings.DEFAULT_VERSION})
    target = root + quote(path)
    if request.META.get("QUERY_STRING"):
        target += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(target)
