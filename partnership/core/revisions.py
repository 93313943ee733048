"""Changes to published records that wait for a Publisher: proposing, publishing, rejecting.

An Editor's change to a published record is kept as a `Revision` holding the whole record as
the Editor left it; the public keeps seeing the published record. A Publisher publishes the
change (it is written over the record in one transaction, and only if the record then still
passes its publication checks and has not changed since the change was made) or rejects it
with a note its author reads.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import router, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext

from partnership.core.models import Publishable, Revision, RevisionStatus
from partnership.core.record_versions import (
    ensure_baseline,
    last_change,
    person_name,
    record_change,
)
from partnership.core.snapshots import StateConflict, fingerprint, read_state, write_state


class Refused(Exception):
    """A change that must not happen; `messages` say why, in plain words."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


class ReviewRefused(Refused):
    """A change cannot be published or rejected."""


def can_publish(user, model):
    """Whether `user` may publish records of `model` (and so change published ones without a
    review)."""
    opts = model._meta
    return user is not None and user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def can_review(user, revision):
    return can_publish(user, revision.content_type.model_class())


def revisions_of(record):
    """The changes proposed for a record, newest first."""
    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
    ).select_related("author", "reviewer", "content_type")


def unfit_problems(record):
    """What stops a published record from being published as it now stands in the database;
    nothing for a draft, which the public does not see."""
    if not isinstance(record, Publishable):
        return []
    fresh = type(record)._base_manager.get(pk=record.pk)
    return fresh.publication_problems() if fresh.is_published else []


def write_fit_state(record, state, refused, not_done, unfit):
    """Write `state` over `record` and return the notes on it; refused (the `Refused` class
    `refused`) when it conflicts with the record as it now stands (`not_done` opens the
    messages), or when it leaves a published record unfit to be published (`unfit(problems)`
    gives the messages)."""
    try:
        notes = write_state(record, state)
    except StateConflict as conflict:
        raise refused([not_done, *conflict.messages]) from conflict
    problems = unfit_problems(record)
    if problems:
        raise refused(unfit(problems))
    return notes


def propose(record, state, *, author, reason="", current=None):
    """Keep `state` as a change to `record` waiting for review; None if it changes nothing.

    `current` is the record's state as published (read now when not given); the change is
    tied to it, so it is not published over a newer version.
    """
    current = current if current is not None else read_state(record)
    kept = propose_many(type(record), [(record, current, state)], author=author, reason=reason)
    return kept[0] if kept else None


def propose_many(model, edits, *, author, reason=""):
    """`propose()` for many records of `model` at once: `edits` is [(record, state as
    published, state as edited)]. One query for all; edits that change nothing are left
    out. Returns the changes kept for review."""
    content_type = ContentType.objects.get_for_model(model)
    revisions = []
    for record, current, state in edits:
        base = fingerprint(current, model)
        if fingerprint(state, model) == base:
            continue
        revisions.append(
            Revision(
                content_type=content_type,
                object_id=record.pk,
                record_label=str(record)[:300],
                author=author,
                reason=reason[:100],
                base_version=base,
                base_state=current,
                state=state,
            )
        )
    return Revision.objects.bulk_create(revisions, batch_size=200)


def is_stale(revision, current):
    """Whether the record changed since the change was made (`current`: its state now)."""
    return fingerprint(current, revision.content_type.model_class()) != revision.base_version


def _locked(model, pk):
    return model._base_manager.select_for_update().filter(pk=pk).first()


def publish_revision(revision, reviewer):
    """Write the change over the record; refuse (ReviewRefused) and change nothing when the
    change was reviewed already, the record changed since, or the record would then fail
    its publication checks. Returns notes on links that could not be restored."""
    model = revision.content_type.model_class()
    with transaction.atomic(using=router.db_for_write(model)):
        revision = Revision.objects.select_for_update().get(pk=revision.pk)
        if not revision.is_pending:
            raise ReviewRefused([gettext("This change was reviewed already.")])
        record = _locked(model, revision.object_id)
        if record is None:
            raise ReviewRefused([gettext("The record this change was made to no longer exists.")])
        author = person_name(revision.author) or "its author"
        if is_stale(revision, read_state(record)):
            when, who = last_change(record)
            moment = ""
            if when:
                moment = gettext(" on %(date)s") % {
                    "date": date_format(timezone.localtime(when), "j M Y, H:i")
                }
            raise ReviewRefused(
                [
                    gettext(
                        "Not published: “%(record)s” was changed by %(who)s%(moment)s, after this "
                        "change was made, and publishing it would undo that. Reject it, and ask "
                        "%(author)s to make the change again on the current version."
                    )
                    % {
                        "record": record,
                        "who": who,
                        "moment": moment,
                        "author": person_name(revision.author) or gettext("its author"),
                    }
                ]
            )
        ensure_baseline(record)
        notes = write_fit_state(
            record,
            revision.state,
            ReviewRefused,
            gettext("Not published."),
            lambda problems: [
                gettext(
                    "Not published: with this change the record could not be published, and "
                    "the public would see it so."
                ),
                *problems,
            ],
        )
        proposed = date_format(timezone.localtime(revision.created_at), "j M Y")
        record_change(
            record,
            user=reviewer,
            reason=revision.reason,
            event=f"Published the change {author} proposed on {proposed}",
        )
        revision.status = RevisionStatus.PUBLISHED
        revision.reviewer = reviewer
        revision.reviewed_at = timezone.now()
        revision.save(update_fields=["status", "reviewer", "reviewed_at"])
    return notes


class _DryRun(Exception):
    pass


def dry_run(revision):
    """What would stop the change from being published now (an empty list if nothing),
    found by publishing it in a transaction that is then rolled back."""
    model = revision.content_type.model_class()
    try:
        with transaction.atomic(using=router.db_for_write(model)):
            publish_revision(revision, reviewer=None)
            raise _DryRun
    except ReviewRefused as refusal:
        return refusal.messages
    except _DryRun:
        return []


def reject_revision(revision, reviewer, note):
    """Reject the change with a note its author reads; the published record stays as it is."""
    note = (note or "").strip()
    if not note:
        raise ReviewRefused(
            [gettext("Say why the change is rejected: its author reads your note.")]
        )
    with transaction.atomic(using=router.db_for_write(Revision)):
        revision = Revision.objects.select_for_update().get(pk=revision.pk)
        if not revision.is_pending:
            raise ReviewRefused([gettext("This change was reviewed already.")])
        revision.status = RevisionStatus.REJECTED
        revision.reviewer = reviewer
        revision.reviewed_at = timezone.now()
        revision.note = note
        revision.save(update_fields=["status", "reviewer", "reviewed_at", "note"])
    return revision
