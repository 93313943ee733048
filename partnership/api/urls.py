from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.reverse import reverse

from . import views

app_name = "api"


class APIRootView(routers.APIRootView):
    """Partnership Tracker's open data: every endpoint, the OpenAPI schema and its documentation.

    Read-only; only published records; the same filters as the site's list pages.
    """

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["schema"] = reverse("api:schema", request=request)
        response.data["docs"] = reverse("api:docs", request=request)
        return response


class Router(routers.DefaultRouter):
    APIRootView = APIRootView


router = Router()
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("areas", views.AreaViewSet, basename="area")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("investments", views.InvestmentViewSet, basename="investment")
router.register("investment-figures", views.FigureViewSet, basename="figure")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("policies", views.PolicyViewSet, basename="policy")
router.register("sources", views.SourceViewSet, basename="source")

urlpatterns = [
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as its own URL, so the page needs no
    # inline script and works under the site's Content-Security-Policy.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
