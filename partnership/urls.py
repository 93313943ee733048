from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from partnership.core import languages, status
from partnership.site import feeds
from partnership.site.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("language/<str:language>/", languages.choose_language, name="choose_language"),
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
    path("feeds/agreements/", feeds.AGREEMENTS, name="feed_agreements"),
    path("feeds/initiatives/", feeds.INITIATIVES, name="feed_initiatives"),
    path("feeds/figures/", feeds.FIGURES, name="feed_figures"),
    path("feeds/policies/", feeds.POLICIES, name="feed_policies"),
    path("feeds/people/", feeds.PEOPLE, name="feed_people"),
    path("api/", include("partnership.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("partnership.site.urls")),
    path("agreements/", include("partnership.agreements.urls")),
    path("areas/", include("partnership.agreements.area_urls")),
    path("initiatives/", include("partnership.initiatives.urls")),
    path("investments/", include("partnership.investments.urls")),
    path("organizations/", include("partnership.organizations.urls")),
    path("people/", include("partnership.organizations.people_urls")),
    path("policies/", include("partnership.agreements.policy_urls")),
    path("sectors/", include("partnership.sectors.urls")),
    prefix_default_language=False,
)
