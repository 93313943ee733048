from partnership.core.pages import list_view, record_urls
from partnership.organizations import selectors, views
from partnership.organizations.filters import PersonFilter

app_name = "people"

urlpatterns = record_urls(
    list_view(
        "people/list.html",
        PersonFilter,
        selectors.person_list,
        selectors.cite_signatures,
        texts=views.PERSON_LIST,
    ),
    views.person_detail,
    views.PERSON_CITATION,
)
