from partnership.core.pages import list_view, record_urls

from . import selectors, views
from .datasets import ORGANIZATIONS
from .filters import OrganizationFilter

app_name = "organizations"

urlpatterns = [
    *record_urls(
        list_view(
            "organizations/list.html",
            OrganizationFilter,
            selectors.organization_list,
            selectors.cite_organizations,
            texts=views.ORGANIZATION_LIST,
        ),
        views.organization_detail,
        views.ORGANIZATION_CITATION,
        ORGANIZATIONS,
    ),
]
