"""The public change log of a record: what changed while it was published, and when.

Built from the history the admin keeps. Only versions saved while the record was published
count, so work on a draft never shows; who made a change is never shown.
"""

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from django.utils.text import capfirst

from partnership.core.models import Publication

# Bookkeeping, not facts a reader follows.
NOT_SHOWN = {"id", "publication", "published_at", "created_at", "updated_at"}


@dataclass(frozen=True)
class PublicChange:
    date: datetime
    fields: list[str]

    @property
    def summary(self):
        return ", ".join(self.fields)


def public_changes(record, limit=10):
    """The record's last `limit` published changes, newest first, in one query.

    Reads at most `limit` + 1 published versions and compares each with the one before it,
    field by field; a save that changed nothing a reader sees is left out.
    """
    history = type(record).history.model
    fields = [
        field
        for field in history.tracked_fields
        if field.name not in NOT_SHOWN and not field.primary_key
    ]
    names = [field.attname for field in fields]
    versions = list(
        record.history.filter(publication=Publication.PUBLISHED)
        .order_by("-history_date", "-history_id")
        .values("history_date", *names)[: limit + 1]
    )
    changes = []
    for newer, older in pairwise(versions):
        changed = sorted(
            capfirst(str(field.verbose_name))
            for field, name in zip(fields, names, strict=True)
            if newer[name] != older[name]
        )
        if changed:
            changes.append(PublicChange(newer["history_date"], changed))
    return changes
