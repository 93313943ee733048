"""Links other records make to an organization."""

from django.db import models

from partnership.core.fields import optional_link


def optional_organization(related_name, **options):
    """An organization the record names, which may be left empty; while the link stands, the
    organization cannot be deleted."""
    return optional_link("organizations.Organization", models.PROTECT, related_name, **options)
