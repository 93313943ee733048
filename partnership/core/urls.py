from django.urls import path

from partnership.core import datasets, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("data/", datasets.data_dictionary, name="data_dictionary"),
]
