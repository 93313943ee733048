"""Imports of thousands of rows in a few queries: the records a file updates read before its
rows, and its rows written in batches, each with its history and its links to sources.

django-import-export reads and saves one row at a time (a query per related cell, a save, a
history entry and a link update per row). Here the file's references are read once
(`widgets.*.prefetch`, `BulkInstanceLoader`), every row is checked without a query, and the
rows are written `batch_size` at a time with `bulk_create`/`bulk_update`, their links with one
delete and one insert per batch, and their history entries, each with the record's links and
parts as they then stand (`record_versions.bulk_record_changes`), a few queries per batch; a
record with no history yet first gets an entry with its state before the import. The number of queries grows with the batches, not with the rows.
"""

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Expression, ForeignKey, ManyToManyField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext
from import_export.instance_loaders import BaseInstanceLoader

from partnership.core.record_versions import bulk_baselines, bulk_record_changes
from partnership.core.signals import records_changed
from partnership.core.snapshots import link_fields, part_relations
from partnership.core.spreadsheets.widgets import in_chunks

KEY_CHUNK = 2_000


def key_part(value):
    """A key's value as rows and records both give it: a record by its number, a country by
    its code."""
    if hasattr(value, "_meta"):
        return value.pk
    return getattr(value, "code", value)


class BulkInstanceLoader(BaseInstanceLoader):
    """The records a file's rows update, read before the rows in one query per few thousand
    keys (with the records they point to), and their current links (to sources) in one more.

    `links[name][pk]`: the sorted numbers of the records linked to record `pk` through the
    many-to-many field `name`.
    """

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        resource.loader = self
        model = resource._meta.model
        self.attributes = [resource.fields[n].attribute for n in resource.get_import_id_fields()]
        keys = set()
        for values in dataset or []:
            key = resource.row_key(dict(zip(dataset.headers, values, strict=True)))
            # An empty key (a slug left blank) names no record: the row adds one.
            if key is not None and "" not in key:
                keys.add(tuple(key_part(part) for part in key))
        related = [f.name for f in resource.stored_fields() if isinstance(f, ForeignKey)]
        queryset = resource.get_queryset().select_related(*related)
        self.records = {}
        for chunk in in_chunks(keys, KEY_CHUNK):
            for record in queryset.filter(self.condition(chunk)):
                self.records[self.record_key(record)] = record
        self.links = {}
        pks = [record.pk for record in self.records.values()]
        for field in resource.stored_fields():
            if isinstance(field, ManyToManyField):
                self.links[field.name] = current_links(model, field, pks)

    def condition(self, keys):
        """Rows whose key is among `keys`, or a few more: each part of the key in the values
        the keys give it (matched exactly in Python afterwards)."""
        condition = Q()
        for index, attribute in enumerate(self.attributes):
            values = {key[index] for key in keys}
            known = values - {None}
            part = Q(**{f"{attribute}__in": sorted(known)}) if known else Q(pk__in=[])
            if None in values:
                part |= Q(**{f"{attribute}__isnull": True})
            condition &= part
        return condition

    def record_key(self, record):
        model = type(record)
        return tuple(
            key_part(getattr(record, model._meta.get_field(a).attname)) for a in self.attributes
        )

    def get_instance(self, row):
        key = self.resource.row_key(row)
        if key is None:
            return None
        return self.records.get(tuple(key_part(part) for part in key))


def current_links(model, field, pks):
    """{record pk: sorted pks of the records linked through `field`}, in a query per chunk."""
    through = field.remote_field.through
    own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    links = {}
    for chunk in in_chunks(pks, KEY_CHUNK):
        rows = through.objects.filter(**{f"{own}__in": chunk}).values_list(own, other)
        for owner, target in rows:
            links.setdefault(owner, []).append(target)
    return {owner: sorted(targets) for owner, targets in links.items()}


# Slugs ---------------------------------------------------------------------------------------


def taken_slugs(model, bases):
    """The slugs of `model` that `next_free_slug` could clash with for these bases: the bases
    themselves (one query per few thousand), and the numbered forms of those already taken."""
    taken = set()
    manager = model._default_manager
    for chunk in in_chunks(set(bases)):
        taken.update(manager.filter(slug__in=chunk).values_list("slug", flat=True))
    clashing = sorted(taken & set(bases))
    for start in range(0, len(clashing), 200):
        condition = Q()
        for base in clashing[start : start + 200]:
            condition |= Q(slug__startswith=f"{base}-")
        taken.update(manager.filter(condition).values_list("slug", flat=True))
    return taken


def next_free_slug(base, taken, max_length):
    """`base`, or `base-2`, `base-3` … : the first not in `taken`, which it is added to."""
    slug, number = base, 1
    while slug in taken:
        number += 1
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
    taken.add(slug)
    return slug


# Writing -------------------------------------------------------------------------------------


class ValuesByPk(Expression):
    """One field's new value for each row of a batch: CASE pk WHEN 1 THEN %s … END.

    What `QuerySet.bulk_update()` writes, compiled directly: Django's version builds and
    resolves a filter for every row and field (`When(pk=…)`), which costs about a
    millisecond per row of a file that changes every column.
    """

    def __init__(self, field, values):
        super().__init__(output_field=field)
        self.target, self.values = field, values

    def as_sql(self, compiler, connection):
        pk = connection.ops.quote_name(self.target.model._meta.pk.column)
        parts, params = [f"CASE {pk}"], []
        for key, value in self.values:
            prepared = self.target.get_db_prep_save(value, connection=connection)
            if isinstance(key, int):
                parts.append(f"WHEN {key:d}")
            else:
                parts.append("WHEN %s")
                params.append(key)
            if prepared is None:
                parts.append("THEN NULL")
            else:
                parts.append("THEN %s")
                params.append(prepared)
        parts.append("END")
        return " ".join(parts), params


def update_rows(model, records, fields):
    """Write `fields` of each record in one UPDATE per batch (as many rows as the database
    takes parameters for, at most 1,000)."""
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [model._meta.get_field(name) for name in fields]
    limit = connection.features.max_query_params or 100_000
    size = max(1, min(1_000, (limit - 10) // (2 * len(fields) + 1)))
    manager = model._default_manager.db_manager(using)
    for start in range(0, len(records), size):
        batch = records[start : start + size]
        for record in batch:
            record._prepare_related_fields_for_save(operation_name="bulk_update", fields=fields)
        values = {}
        for field in fields:
            expression = ValuesByPk(field, [(r.pk, getattr(r, field.attname)) for r in batch])
            if connection.features.requires_casted_case_in_updates:
                expression = Cast(expression, output_field=field)
            values[field.attname] = expression
        manager.filter(pk__in=[record.pk for record in batch]).update(**values)


class BulkWriteMixin:
    """A resource's rows written in batches (django-import-export's `use_bulk`), each batch
    with its history entries (who imported it, from which file) and its links.

    The resource sets, for the run: `user` (the editor importing), `change_reason` (what
    the history entries say) and `batch_label` (stored in an `import_batch` field when the
    model has one). A row's wanted links are kept on its record as `_import_links`
    ({field name: sorted pks}) until its batch is written.
    """

    user = None
    change_reason = ""
    batch_label = ""
    written = ()  # the primary keys of the records written so far
    _choices = None

    def choice_fields(self):
        """{name: (field, {value as text: label})} for the model's fields with choices, read
        once: checking a value against a field's choices (all countries, for one) on every
        row is what takes the time."""
        if self._choices is None:
            self._choices = {
                field.name: (field, {str(value): label for value, label in field.flatchoices})
                for field in self._meta.model._meta.concrete_fields
                if field.choices
            }
        return self._choices

    def stored_fields(self):
        """The model fields the file's columns write (not the read-only, not the guides)."""
        model = self._meta.model
        names = [f.attribute for f in self.fields.values() if f.attribute and not f.readonly]
        return [model._meta.get_field(name) for name in names]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The record's own checks, without a query: fields, `clean()`. References were found
        when their cells were read; keys are matched and checked by the loader and the file
        checks; the database's constraints back up what `clean()` says in words."""
        errors = dict(import_validation_errors or {})
        references = {f.name for f in instance._meta.concrete_fields if f.is_relation}
        choices = self.choice_fields()
        try:
            instance.full_clean(
                exclude=set(errors) | references | set(choices),
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, (field, labels) in choices.items():
            value = key_part(getattr(instance, field.attname))
            if name in errors:
                continue
            if value in field.empty_values:
                if not field.blank:
                    errors[name] = [field.error_messages["blank"]]
            elif str(value) not in labels:
                errors[name] = [field.error_messages["invalid_choice"] % {"value": value}]
        for field in self.stored_fields():
            required = isinstance(field, ForeignKey) and not field.blank
            if required and field.name not in errors and not field.get_cached_value(instance, None):
                errors[field.name] = [gettext("This field cannot be blank.")]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged: every value the file gives equals the record's, links included."""
        if import_validation_errors or original is None or original.pk is None:
            return False
        for field in self.get_import_fields():
            if field.readonly or not field.attribute or field.column_name not in row:
                continue
            if field.attribute in self.loader.links:
                if self.wanted_links(instance, field.attribute) != self.links_of(original, field):
                    return False
            elif field.get_value(instance) != field.get_value(original):
                return False
        return True

    def links_of(self, record, field):
        return self.loader.links.get(field.attribute, {}).get(record.pk, []) if record.pk else []

    def wanted_links(self, record, name):
        wanted = getattr(record, "_import_links", {})
        if name in wanted:
            return wanted[name]
        return self.loader.links.get(name, {}).get(record.pk, []) if record.pk else []

    def save_instance(self, instance, is_create, row, **kwargs):
        if hasattr(instance, "import_batch"):
            instance.import_batch = self.batch_label[: type(instance).import_batch.field.max_length]
        super().save_instance(instance, is_create, row, **kwargs)

    def save_new_references(self):
        """Save the records the file adds besides its own (new investors), before the first
        batch that points to them. Nothing by default."""

    def before_bulk_create(self, instances):
        """Complete new records before they are written (e.g. their slugs)."""

    def _written(self, model, instances, created):
        """After rows are written: their links, one history entry each, and their keys kept
        (`written`) to announce the change (`records_changed`) once the import holds."""
        self.write_links(instances, created=created)
        bulk_record_changes(
            model,
            instances,
            user=self.user,
            reason=self.change_reason,
            created=created,
            relations=self.relations_after(instances, created=created),
        )
        self.written = [*self.written, *(instance.pk for instance in instances)]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        instances = self._take(self.create_instances, using_transactions, dry_run, result)
        if not instances:
            return
        model = self._meta.model
        try:
            self.save_new_references()
            self.before_bulk_create(instances)
            model._default_manager.bulk_create(instances, batch_size=batch_size)
            self._written(model, instances, created=True)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        instances = self._take(self.update_instances, using_transactions, dry_run, result)
        instances = self.keep_for_review(instances, result, raise_errors)
        if not instances:
            return
        model = self._meta.model
        names = {f.name for f in self.stored_fields() if not f.many_to_many}
        names -= {self.fields[key].attribute for key in self.get_import_id_fields()}
        now = timezone.now()
        for name in ("updated_at", "import_batch"):
            if hasattr(model, name):
                names.add(name)
        for instance in instances:
            if hasattr(instance, "updated_at"):
                instance.updated_at = now
        try:
            self.save_new_references()
            bulk_baselines(model, [instance.pk for instance in instances])
            update_rows(model, instances, sorted(names))
            self._written(model, instances, created=False)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)

    def link_labels(self, records):
        """{link field: {pk: label}} for the records the rows link to: those the file's
        cells named were read with the file; any other (kept from before) costs one query
        a field."""
        model = self._meta.model
        labels = {}
        for name in self.loader.links:
            known = {}
            found = getattr(self.fields[name].widget, "found", None)
            if found is not None:
                by_number, by_address = found
                linked = [*by_number.values(), *(r for rs in by_address.values() for r in rs)]
                known = {record.pk: str(record) for record in linked}
            wanted = {pk for record in records for pk in self.wanted_links(record, name)}
            missing = wanted - known.keys()
            if missing:
                related = model._meta.get_field(name).related_model
                rows = related._base_manager.filter(pk__in=missing)
                known.update((record.pk, str(record)) for record in rows)
            labels[name] = known
        return labels

    def relations_after(self, records, created):
        """pk → the links and parts each record has once its batch is written, for its
        history entry, known without reading the records again: links as the rows give them,
        no parts for a new record. None (read them) for a model with links the file cannot
        give or, for changed records, parts of its own."""
        model = self._meta.model
        links = link_fields(model)
        if any(field.name not in self.loader.links for field in links):
            return None
        if not created and part_relations(model):
            return None
        labels = self.link_labels(records)
        return {
            record.pk: {
                "m2m": {
                    field.name: [
                        {"id": pk, "label": labels[field.name].get(pk, f"#{pk}")}
                        for pk in self.wanted_links(record, field.name)
                    ]
                    for field in links
                },
                "parts": {relation.get_accessor_name(): [] for relation in part_relations(model)},
            }
            for record in records
        }

    def keep_for_review(self, instances, result, raise_errors):
        """The rows to write; those that change a published record the importing editor may
        not publish are kept as changes for review instead (`reviewed`). Nothing here by
        default."""
        return instances

    def after_import(self, dataset, result, **kwargs):
        """Tell what keeps a copy of the record in step (the site search) which records the
        file wrote, once, when they are to stay (not for a preview)."""
        super().after_import(dataset, result, **kwargs)
        failed = result.has_errors() or result.has_validation_errors()
        if self.written and not failed and not getattr(self, "dry_run", False):
            records_changed.send(self._meta.model, pks=self.written)
        self.written = ()

    def _take(self, pending, using_transactions, dry_run, result):
        """The batch to write, emptying `pending`; nothing once a row has failed, as the
        whole file is then rolled back anyway."""
        instances = list(pending)
        pending.clear()
        if not using_transactions and dry_run:
            return []
        if result is not None and (result.has_errors() or result.has_validation_errors()):
            return []
        return instances

    def write_links(self, instances, created):
        """Each record's links as its row gives them: for changed ones, one delete and one
        insert per field and batch."""
        model = self._meta.model
        for name in self.loader.links:
            field = model._meta.get_field(name)
            through = field.remote_field.through
            own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            changed = [
                (record, wanted)
                for record in instances
                if name in getattr(record, "_import_links", {})
                and (wanted := record._import_links[name])
                != self.loader.links[name].get(record.pk, [])
            ]
            if not changed:
                continue
            if not created:
                pks = [record.pk for record, _ in changed]
                for chunk in in_chunks(pks, KEY_CHUNK):
                    through.objects.filter(**{f"{own}__in": chunk}).delete()
            through.objects.bulk_create(
                through(**{own: record.pk, other: target})
                for record, wanted in changed
                for target in wanted
            )
