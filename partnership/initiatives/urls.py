from partnership.core.pages import list_view, record_urls

from . import selectors, views
from .datasets import INITIATIVES
from .filters import InitiativeFilter

app_name = "initiatives"

urlpatterns = [
    *record_urls(
        list_view(
            "initiatives/list.html",
            InitiativeFilter,
            selectors.initiative_list,
            selectors.cite_initiatives,
            texts=views.INITIATIVE_LIST,
        ),
        views.initiative_detail,
        views.INITIATIVE_CITATION,
        INITIATIVES,
    ),
]
