"""The demo data: fixtures/demo.json, loaded the one way every caller uses (`manage.py
loaddemo`, `make run`, the tests).

The fixture holds facts only. Each record gets the time of loading as its creation, update
and (when published) publication time, and a first history entry, "Loaded from the demo
data, <date>", with its links and parts, so the public change log of a record edited
afterwards has a "before" and a revert to it restores them.
What is kept in step with the record (the site search) is then built once for all of it.
"""

from django.core.management import call_command
from django.db import transaction
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.dateformat import format as format_date

from partnership.core.history import DEMO_ORIGIN
from partnership.core.models import Publication
from partnership.core.record_versions import bulk_record_changes
from partnership.core.records import record_models
from partnership.core.signals import records_loaded

FIXTURE = "demo"
TIMESTAMPS = ("created_at", "updated_at")


def change_reason(now):
    return f"{DEMO_ORIGIN}, {format_date(timezone.localtime(now), 'j F Y')}"


def load_demo(now=None):
    """Load the demo fixture in one transaction; return the time it was loaded at.

    The caller decides whether the database may receive it (`loaddemo` refuses a database
    that already holds records).
    """
    now = now or timezone.now()

    def stamp(sender, instance, raw=False, **kwargs):
        if not raw:
            return
        for name in TIMESTAMPS:
            if hasattr(instance, name) and getattr(instance, name) is None:
                setattr(instance, name, now)
        published = getattr(instance, "publication", None) == Publication.PUBLISHED
        if published and instance.published_at is None:
            instance.published_at = now

    uid = "partnership.core.demo.stamp"
    with transaction.atomic():
        pre_save.connect(stamp, weak=False, dispatch_uid=uid)
        try:
            call_command("loaddata", FIXTURE, verbosity=0)
        finally:
            pre_save.disconnect(dispatch_uid=uid)
        reason = change_reason(now)
        for model in record_models():
            if getattr(model, "history", None) is None:
                continue
            # With its links and parts, so that a later change shows what it removed and a
            # revert to this first version restores them.
            records = list(model._default_manager.all())
            bulk_record_changes(model, records, reason=reason, created=True, date=now)
        records_loaded.send(load_demo)
    return now
