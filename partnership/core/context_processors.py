"""What every page may show, read only when a template shows it."""

from django.utils.functional import SimpleLazyObject

from partnership.core import versions


def data_version(request):
    """The data version, which the footer shows on every page; a page that does not render it
    runs no query for it."""
    return {"data_version": SimpleLazyObject(lambda: versions.for_request(request))}


def reviews(request):
    """The changes waiting for review that concern the signed-in user (the admin's index
    shows them); read only by a page that shows them."""
    from partnership.core.admin.reviews import review_summary

    return {"reviews": SimpleLazyObject(lambda: review_summary(request.user))}
