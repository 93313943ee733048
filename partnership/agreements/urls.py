from django.urls import path

from partnership.core.pages import list_view, record_urls

from . import selectors, views
from .datasets import AGREEMENTS
from .filters import AgreementFilter

app_name = "agreements"

urlpatterns = [
    *record_urls(
        list_view(
            "agreements/list.html",
            AgreementFilter,
            selectors.agreement_list,
            selectors.cite_agreements,
            texts=views.AGREEMENT_LIST,
        ),
        views.agreement_detail,
        views.AGREEMENT_CITATION,
        AGREEMENTS,
    ),
    path("<slug:slug>/documents/<int:pk>/", views.document_download, name="document"),
]
