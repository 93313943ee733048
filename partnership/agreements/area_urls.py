from django.urls import path

from partnership.agreements import views

app_name = "areas"

urlpatterns = [
    path("", views.area_list, name="list"),
    path("<slug:slug>/", views.area_detail, name="detail"),
]
