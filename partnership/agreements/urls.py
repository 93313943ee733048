from django.urls import path

from partnership.agreements import documents, views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("export.<str:fmt>", views.agreement_export, name="export"),
    path("<slug:slug>/", views.agreement_detail, name="detail"),
    path("<slug:slug>/documents/<int:pk>/", documents.download, name="document"),
]
