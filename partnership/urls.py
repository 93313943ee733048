from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from partnership.core import status

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", status.healthz, name="healthz"),
    path("robots.txt", status.robots_txt, name="robots_txt"),
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
