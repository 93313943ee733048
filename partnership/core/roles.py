"""The two groups that keep the record, and the permissions each holds.

Editors add, correct and view every record and its parts and save them as drafts; they may
remove a part of a record (a party, a milestone) but not a record with pages of its own.
Publishers may also publish, unpublish, delete and revert to an earlier version.

The groups' permissions are derived from the models, not listed by hand, and set again after
every `migrate`: a model added later is covered without a new data migration, and a
permission removed from a group by hand is put back. Anything else a site needs is given to
users directly, not to these groups.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from simple_history.models import HistoricalChanges

from partnership.core.records import RECORD_APPS

EDITORS = "Editors"
PUBLISHERS = "Publishers"

# The models of the record's apps, and the history kept of them, are what the two groups
# work on.


def _record_models(apps):
    """The record's models and their history; not the tallies the database keeps alone (no
    permissions)."""
    for label in RECORD_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.default_permissions:
                yield model


def _is_history(model):
    return issubclass(model, HistoricalChanges)


def _has_own_pages(model):
    from django.contrib import admin

    return any(
        registered._meta.label_lower == model._meta.label_lower
        for registered in admin.site._registry
    )


def role_permissions(apps=global_apps):
    """(app_label, codename) pairs for each group."""
    editors, publishers = set(), set()
    for model in _record_models(apps):
        opts = model._meta
        name = opts.model_name
        if _is_history(model):
            editors.add((opts.app_label, f"view_{name}"))
            publishers.add((opts.app_label, f"view_{name}"))
            continue
        everyday = {f"add_{name}", f"change_{name}", f"view_{name}"}
        if not _has_own_pages(model):
            everyday.add(f"delete_{name}")  # a part of a record, removed from its form
        editors |= {(opts.app_label, codename) for codename in everyday}
        publishers |= {(opts.app_label, codename) for codename in everyday}
        publishers.add((opts.app_label, f"delete_{name}"))
        publishers |= {(opts.app_label, codename) for codename, _ in opts.permissions}
    return {EDITORS: editors, PUBLISHERS: publishers}


def sync_roles(using="default", apps=global_apps, verbosity=0, **kwargs):
    """Create the two groups if needed and give each exactly its permissions.

    Runs after `migrate` (post_migrate). Permissions are created here first: Django creates
    them app by app as each app's post_migrate runs, and apps listed after this one would
    otherwise not have theirs yet on a fresh database.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=global_apps)
    for group_name, wanted in role_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name)
        labels = {label for label, _ in wanted}
        candidates = (
            Permission.objects.using(using)
            .filter(content_type__app_label__in=labels)
            .select_related("content_type")
        )
        permissions = [
            permission
            for permission in candidates
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        group.permissions.set(permissions)
        if verbosity >= 2:
            print(f"{group_name}: {len(permissions)} permissions")
