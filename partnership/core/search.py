"""What the site search reads of sources (see core/searchable.py)."""

from partnership.core.models import Publishable, Source
from partnership.core.searchable import Document, SearchKind, texts, written_date


def citing_relations():
    """The way from a source to the records of each model citing sources: a source is
    public while a published one cites it (SourceQuerySet.cited)."""
    return [
        relation.get_accessor_name()
        for relation in Source._meta.related_objects
        if relation.many_to_many and issubclass(relation.related_model, Publishable)
    ]


def source_document(source):
    published = written_date(source.published_on, source.published_on_precision)
    return Document(
        title=source.title,
        url=source.url,
        names=texts(source, "title"),
        text=[
            *texts(source, "publisher", "release_of", "note"),
            source.kind_text,
            published,
        ],
        meta=", ".join(part for part in (source.publisher, published) if part),
        summary=source.note,
        date=source.published_on,
    )


KINDS = [
    SearchKind(
        "sources",
        Source,
        lambda: Source.objects.cited(),
        source_document,
        follows=citing_relations,
        shown=(),
    ),
]
