"""Uploaded import files, kept only while an import waits for its confirmation.

An upload is stored (in the storage every app server shares) between the preview and the
confirmation. It is deleted once the import is confirmed or refused, and any upload older
than a day is deleted too: when an import is previewed, and by `manage.py cleanimports`.
Backups leave the folder out.
"""

import re
from datetime import timedelta

from django.core.files.storage import storages
from django.utils import timezone

UPLOAD_FOLDER = "django-import-export"
MAX_AGE = timedelta(days=1)
# The names django-import-export gives uploads (uuid4().hex): nothing else is read or deleted.
UPLOAD_NAME = re.compile(r"[0-9a-f]{32}")


def upload_storage():
    """The storage django-import-export keeps uploads in (its own if configured)."""
    return (
        storages["import_export"] if "import_export" in storages.backends else storages["default"]
    )


def is_upload_name(name):
    return bool(name) and UPLOAD_NAME.fullmatch(name) is not None


def remove_upload(name):
    """Delete the upload called `name`, if it is one and is still there."""
    if not is_upload_name(name):
        return False
    storage = upload_storage()
    path = f"{UPLOAD_FOLDER}/{name}"
    try:
        if not storage.exists(path):
            return False
        storage.delete(path)
    except OSError:
        return False
    return True


def stale_uploads(max_age=MAX_AGE, now=None):
    """The names of the uploads older than `max_age`."""
    storage = upload_storage()
    now = now or timezone.now()
    try:
        _, names = storage.listdir(UPLOAD_FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return []
    stale = []
    for name in names:
        try:
            modified = storage.get_modified_time(f"{UPLOAD_FOLDER}/{name}")
        except OSError:
            continue
        if timezone.is_naive(modified):
            modified = timezone.make_aware(modified)
        if now - modified > max_age:
            stale.append(name)
    return sorted(stale)


def remove_stale_uploads(max_age=MAX_AGE, now=None):
    """Delete the uploads older than `max_age`; return how many were deleted."""
    return sum(remove_upload(name) for name in stale_uploads(max_age, now))
