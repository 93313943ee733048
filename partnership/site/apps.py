from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """What spans the whole record: the overview, the search, feeds, sitemaps and the data
    dictionary. The top floor: it reads every domain app, and nothing imports it."""

    name = "partnership.site"
    label = "site"
    verbose_name = _("The public site")
