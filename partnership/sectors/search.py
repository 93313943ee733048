"""What the site search reads of sectors (see core/searchable.py)."""

from django.db.models import Prefetch

from partnership.core.searchable import Document, SearchKind, texts

from .models import Sector


def sector_rows():
    return Sector.objects.published().prefetch_related(
        Prefetch("parent", queryset=Sector.objects.published())
    )


def sector_document(sector):
    parent = sector.parent
    return Document.of(
        sector,
        texts(sector, "name"),
        title=sector.name,
        text=[*texts(sector, "description"), *texts(parent, "name")],
        meta=f"Industry within {parent.name}" if parent else "Sector",
        summary=sector.description,
    )


KINDS = [
    SearchKind(
        "sectors",
        Sector,
        sector_rows,
        sector_document,
        follows=("parent",),
        shown=("name", "publication"),
    ),
]
