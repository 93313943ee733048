"""/api/ lists the versions; each version's endpoints live under /api/<version>/ (DRF's
URLPathVersioning, so links in a response keep the version it was asked in). Addresses
without a version, from before it was part of the path, redirect to the current one; any
other address ending in a slash is a 404 with a problem-details body (without the slash,
CommonMiddleware first redirects to it)."""

from django.urls import include, path, re_path
from rest_framework import routers
from rest_framework.settings import api_settings

from . import problems, search, views

app_name = "api"


class Router(routers.DefaultRouter):
    APIRootView = views.APIRootView


router = Router()
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("areas", views.AreaViewSet, basename="area")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("investments", views.InvestmentViewSet, basename="investment")
router.register("investment-figures", views.FigureViewSet, basename="figure")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("people", views.PersonViewSet, basename="person")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("policies", views.PolicyViewSet, basename="policy")
router.register("sources", views.SourceViewSet, basename="source")

version_urls = [
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(), name="docs"),
    path("search/", search.SearchView.as_view(), name="search"),
    *router.urls,
]

VERSION = "|".join(api_settings.ALLOWED_VERSIONS)

urlpatterns = [
    path("", views.VersionsView.as_view(), name="versions"),
    re_path(rf"^(?P<version>{VERSION})/", include(version_urls)),
    # Anything else that does not start with a version (v1, v2 …) is an old address.
    # ([\s\S]: any character, a newline too.)
    re_path(r"^(?P<path>(?!v[0-9]+(?:/|$))[\s\S]+)$", views.unversioned, name="unversioned"),
    re_path(r"^(?:[\s\S]*/)?$", problems.not_found),
]
