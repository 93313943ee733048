from partnership.agreements import selectors, views
from partnership.agreements.filters import AreaFilter
from partnership.core.pages import list_view, record_urls

app_name = "areas"

urlpatterns = record_urls(
    list_view(
        "areas/list.html",
        AreaFilter,
        selectors.area_list,
        selectors.cite_areas,
        texts=views.AREA_LIST,
        per_page=views.AREAS_PER_PAGE,
    ),
    views.area_detail,
    views.AREA_CITATION,
)
