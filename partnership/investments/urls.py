from django.urls import path

from partnership.core.datasets import old_data_dictionary

from . import views

app_name = "investments"

urlpatterns = [
    path("", views.investment_list, name="list"),
    path("export.<str:fmt>", views.investment_export, name="export"),
    path("figures/", views.figure_list, name="figures"),
    path("figures/export.<str:fmt>", views.figure_export, name="figures_export"),
    path("data/", old_data_dictionary, name="data_dictionary"),
    path("<slug:slug>/", views.investment_detail, name="detail"),
]
