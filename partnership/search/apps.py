from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The site search's index of every published record, kept in step as records are
    saved, published, unpublished and deleted. On the top floor: it reads the kinds each
    app declares in its `search.py`; the site and the API ask it (`search.index`)."""

    name = "partnership.search"
    label = "search"
    verbose_name = _("Site search")

    def ready(self):
        from . import signals

        signals.connect()
