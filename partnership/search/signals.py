"""The index kept in step with every write to the record.

- A save (an editor's, a publication, an unpublication, a revert) reads the record again,
  and, when it changed what other records show of it (a ministry's name, an agreement's
  publication), those records too (`SearchKind.shown`).
- A deletion removes the record's entry and reads again the records that showed it, found
  before it went.
- A change of links (an agreement's policies, a record's sources) reads again the side
  whose text or visibility depends on the other.
- Writes in bulk (publishing or unpublishing a selection, a spreadsheet import) send
  core.signals.records_changed once, and the demo or synthetic data records_loaded.
- A fixture being loaded (`loaddata`) saves its rows raw, before their links exist: they are
  noted and read once the loading transaction commits.
"""

import threading

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from partnership.core.searchable import language_fields
from partnership.core.signals import records_changed, records_loaded

from . import indexing, registry

_loading = threading.local()


def connect():
    uid = "partnership.search"
    for model in registry.watched():
        pre_save.connect(before_save, sender=model, dispatch_uid=uid)
        post_save.connect(saved, sender=model, dispatch_uid=uid)
        pre_delete.connect(before_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(deleted, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(links_changed, sender=field.remote_field.through, dispatch_uid=uid)
    records_changed.connect(changed_in_bulk, dispatch_uid=uid)
    records_loaded.connect(loaded, dispatch_uid=uid)


def _columns(model, fields):
    return {column for name in fields for column in language_fields(model, name)}


def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Note what others show of the record as it stands, to tell after the save whether
    they need reading again."""
    shown = registry.shown_fields(sender)
    if raw or shown is None or instance._state.adding or instance.pk is None:
        return
    columns = _columns(sender, shown)
    if update_fields is not None:
        columns &= set(update_fields)
    if not columns:
        instance._search_before = {}
        return
    instance._search_before = (
        sender._default_manager.filter(pk=instance.pk).values(*columns).first() or None
    )


def _shown_changed(instance):
    before = getattr(instance, "_search_before", None)
    if before is None:
        return True
    return any(str(getattr(instance, name)) != str(value) for name, value in before.items())


def saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or getattr(instance, "_search_loading", False):
        instance._search_loading = True
        _note_loaded(sender, [instance.pk])
        return
    indexing.refresh(sender, [instance.pk], followers=created or _shown_changed(instance))
    instance.__dict__.pop("_search_before", None)


def before_delete(sender, instance, **kwargs):
    instance._search_followers = indexing.followers_of(sender, [instance.pk])


def deleted(sender, instance, **kwargs):
    reading = getattr(instance, "_search_followers", None)
    indexing.refresh(sender, [instance.pk], reading=reading)


def _linked(through, instance, model):
    """The primary keys of the `model` records linked to `instance` through `through`."""
    own = other = None
    for field in through._meta.fields:
        if field.is_relation and field.related_model is type(instance) and own is None:
            own = field
        elif field.is_relation and field.related_model is model:
            other = field
    rows = through._default_manager.filter(**{own.name: instance.pk})
    return set(rows.values_list(other.attname, flat=True))


def _reads(model, other):
    """Whether the text or the visibility of `model`'s records depends on `other`'s."""
    return any(
        followed is other for kind in registry.kinds_of(model) for followed, _ in kind.followed()
    )


def links_changed(sender, instance, action, model, pk_set=None, **kwargs):
    if action == "pre_clear":
        instance._search_unlinked = _linked(sender, instance, model)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set = instance.__dict__.pop("_search_unlinked", set())
    if getattr(instance, "_search_loading", False):
        _note_loaded(type(instance), [instance.pk])
        _note_loaded(model, pk_set)
        return
    if _reads(type(instance), model):
        indexing.refresh(type(instance), [instance.pk], followers=False)
    if pk_set and _reads(model, type(instance)):
        indexing.refresh(model, pk_set, followers=False)


def changed_in_bulk(sender, pks, **kwargs):
    indexing.refresh(sender, pks)


def loaded(sender=None, **kwargs):
    _loading.__dict__.pop("pending", None)
    indexing.rebuild()


def _note_loaded(model, pks):
    """Read these records once the transaction loading them commits."""
    pending = _loading.__dict__.setdefault("pending", {})
    pending.setdefault(model, set()).update(pks)
    transaction.on_commit(_read_loaded)


def _read_loaded():
    pending = _loading.__dict__.pop("pending", {})
    with transaction.atomic():
        for model, pks in pending.items():
            indexing.refresh(model, pks)
