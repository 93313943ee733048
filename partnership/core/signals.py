"""Signals for writes that go around `save()` and `delete()`.

A queryset's `update()`, `bulk_create()` and a bulk history entry send no model signals, so
what keeps a copy of the record in step (the site search) would not hear of them. The code
that writes in bulk sends these instead, once per operation.
"""

from django.dispatch import Signal

# Rows of `sender` (a model) were added or changed in bulk; `pks`: their primary keys.
records_changed = Signal()

# The whole record was written at once (the demo data, a synthetic data set): anything kept
# in step with it is to be built afresh.
records_loaded = Signal()
