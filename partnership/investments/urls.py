from django.urls import path
from django.views.generic import RedirectView

from partnership.core.citations import cite_view
from partnership.core.downloads import export_view

from . import views
from .datasets import FIGURES, INVESTMENTS

app_name = "investments"

urlpatterns = [
    path("", views.investment_list, name="list"),
    path("export.<str:fmt>", export_view(INVESTMENTS), name="export"),
    path("figures/", views.figure_list, name="figures"),
    path("figures/export.<str:fmt>", export_view(FIGURES), name="figures_export"),
    path("figures/<slug:slug>/", views.figure_detail, name="figure"),
    path(
        "figures/<slug:slug>/cite.<str:fmt>", cite_view(views.FIGURE_CITATION), name="figure_cite"
    ),
    # The data dictionary's earlier address.
    path(
        "data/",
        RedirectView.as_view(pattern_name="site:data_dictionary", permanent=True),
        name="data_dictionary",
    ),
    path("<slug:slug>/", views.investment_detail, name="detail"),
    path("<slug:slug>/cite.<str:fmt>", cite_view(views.INVESTMENT_CITATION), name="cite"),
]
