from django.urls import path

from partnership.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("export.<str:fmt>", views.organization_export, name="export"),
    path("<slug:slug>/", views.organization_detail, name="detail"),
]
