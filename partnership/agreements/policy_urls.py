from partnership.agreements import selectors, views
from partnership.agreements.filters import PolicyFilter
from partnership.core.pages import list_view, record_urls

app_name = "policies"

urlpatterns = record_urls(
    list_view(
        "policies/list.html",
        PolicyFilter,
        selectors.policy_list,
        selectors.cite_policies,
        texts=views.POLICY_LIST,
    ),
    views.policy_detail,
    views.POLICY_CITATION,
)
