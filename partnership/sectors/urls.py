from partnership.core.pages import list_view, record_urls
from partnership.sectors import selectors, views
from partnership.sectors.filters import SectorFilter

app_name = "sectors"

urlpatterns = record_urls(
    list_view("sectors/list.html", SectorFilter, selectors.sector_tree, texts=views.SECTOR_LIST),
    views.sector_detail,
    views.SECTOR_CITATION,
)
