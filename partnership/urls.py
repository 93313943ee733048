from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from partnership.core import feeds, status
from partnership.core.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", status.healthz, name="healthz"),
    path("robots.txt", status.robots_txt, name="robots_txt"),
    path("favicon.ico", status.favicon, name="favicon"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("feeds/agreements/", feeds.AgreementFeed(), name="feed_agreements"),
    path("feeds/initiatives/", feeds.InitiativeFeed(), name="feed_initiatives"),
    path("feeds/figures/", feeds.FigureFeed(), name="feed_figures"),
    path("api/", include("partnership.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("partnership.core.urls")),
    path("agreements/", include("partnership.agreements.urls")),
    path("areas/", include("partnership.agreements.area_urls")),
    path("initiatives/", include("partnership.initiatives.urls")),
    path("investments/", include("partnership.investments.urls")),
    path("organizations/", include("partnership.organizations.urls")),
    path("sectors/", include("partnership.sectors.urls")),
    prefix_default_language=False,
)
