from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from partnership.agreements.selectors import agreement_rows, area_rows, policy_rows
from partnership.initiatives.selectors import initiative_rows
from partnership.investments.selectors import figure_rows, investment_rows
from partnership.organizations.selectors import organization_rows, person_rows
from partnership.sectors.selectors import sector_rows


class TranslatedSitemap(Sitemap):
    """Each page in English, Thai and Japanese, each entry naming the others as alternates
    (and English as the x-default)."""

    i18n = True
    alternates = True
    x_default = True


class PublishedSitemap(TranslatedSitemap):
    """Every published detail page of one kind of record, from the app's selector."""

    limit = 10_000
    rows = None
    fields = ("slug", "updated_at")

    def items(self):
        return self.rows().select_related(None).order_by("pk").only(*self.fields)

    def lastmod(self, item):
        return item.updated_at


class UndatedSitemap(PublishedSitemap):
    """Records public with another one and keeping no date of their own (areas with their
    agreement, people with what they signed): no date is given rather than one invented."""

    fields = ("slug",)
    lastmod = None


class PageSitemap(TranslatedSitemap):
    """The pages that are not records: the overview, the timeline, how the record is kept,
    the data dictionary. They carry no date: none is recorded for them."""

    def items(self):
        return ["site:home", "site:timeline", "site:method", "site:data_dictionary"]

    def location(self, item):
        return reverse(item)


def sitemap_for(rows, base=PublishedSitemap):
    return type(f"{rows.__name__}_sitemap", (base,), {"rows": staticmethod(rows)})


SITEMAPS = {
    "pages": PageSitemap,
    "agreements": sitemap_for(agreement_rows),
    "areas": sitemap_for(area_rows, UndatedSitemap),
    "initiatives": sitemap_for(initiative_rows),
    "investments": sitemap_for(investment_rows),
    "figures": sitemap_for(figure_rows),
    "organizations": sitemap_for(organization_rows),
    "sectors": sitemap_for(sector_rows),
    "policies": sitemap_for(policy_rows),
    "people": sitemap_for(person_rows, UndatedSitemap),
}
