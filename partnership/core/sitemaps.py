from django.contrib.sitemaps import Sitemap

from partnership.agreements.models import Agreement, CooperationArea
from partnership.initiatives.models import Initiative
from partnership.investments.models import Investment
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector


class PublishedSitemap(Sitemap):
    """Every published detail page of one model."""

    limit = 10_000
    model = None

    def items(self):
        return self.model.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class AreaSitemap(Sitemap):
    limit = 10_000

    def items(self):
        return CooperationArea.objects.published().order_by("pk").only("slug")


def sitemap_for(model):
    return type(f"{model.__name__}Sitemap", (PublishedSitemap,), {"model": model})


SITEMAPS = {
    "agreements": sitemap_for(Agreement),
    "areas": AreaSitemap,
    "initiatives": sitemap_for(Initiative),
    "investments": sitemap_for(Investment),
    "organizations": sitemap_for(Organization),
    "sectors": sitemap_for(Sector),
}
