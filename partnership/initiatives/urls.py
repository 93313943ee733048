from django.urls import path

from partnership.initiatives import views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("export.<str:fmt>", views.initiative_export, name="export"),
    path("<slug:slug>/", views.initiative_detail, name="detail"),
]
