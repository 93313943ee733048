from django.urls import path

from . import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("data/", views.data_dictionary, name="data_dictionary"),
    path("method/", views.method, name="method"),
    path("timeline/", views.timeline, name="timeline"),
    path("embed/<slug:name>/", views.embed, name="embed"),
    path("embed/<slug:name>/chart.svg", views.embed_svg, name="embed_svg"),
    path("embed/<slug:name>/chart.png", views.embed_png, name="embed_png"),
]
