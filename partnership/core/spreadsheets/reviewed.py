"""Spreadsheet rows that change published records follow the rules of the admin's form.

- A row from someone who may publish the model (a Publisher) is written only if the record
  then still passes its publication checks; otherwise the row is refused and says why, so no
  import leaves a published record that publishing would refuse.
- A row from someone who may not (an Editor) is not written over the published record: it is
  kept as a change waiting for review, exactly as the same change made in the form would be;
  the public keeps seeing the published version until a Publisher publishes the change. The
  preview and the closing message say how many rows wait so.

Rows that add records (always drafts) and rows that change drafts are written as they are.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

from partnership.core.models import QUALITY_PREFIX
from partnership.core.revisions import can_publish, propose_many
from partnership.core.snapshots import edited_state, read_states


class ReviewedImportMixin:
    """For `SpreadsheetResource`: see the module's docstring. Needs the resource's `user`,
    `loader` and `stored_fields()`."""

    for_review = 0

    def may_publish(self):
        """Whether the import's rows may change published records directly: the importing
        user may publish the model (an import run without a user, from the command line,
        is an operator's)."""
        return self.user is None or can_publish(self.user, self._meta.model)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """A row that changes a record (an unchanged one is skipped before this) is checked
        against the rules of published records too."""
        super().validate_instance(instance, import_validation_errors, validate_unique)
        problems = self.published_record_problems(instance)
        if problems:
            raise ValidationError(problems)

    def published_record_problems(self, instance):
        """{column: [messages]} refusing a row that would leave a published record unfit to
        publish; a row an Editor sends to review is marked so (`_for_review`)."""
        if instance.pk is None or not getattr(instance, "is_published", False):
            return {}
        if not self.may_publish():
            instance._for_review = True
            return {}
        links = getattr(instance, "_import_links", {})
        if "sources" in links:
            # The sources the row gives, not those the record cites now.
            setattr(instance, QUALITY_PREFIX + "has_sources", bool(links["sources"]))
        problems = instance.publication_problems()
        if not problems:
            return {}
        name = instance._meta.verbose_name
        return {
            "publication": [
                gettext(
                    "This %(name)s is published, and as this row would leave it, it could not "
                    "be published: %(problems)s Correct the row, or unpublish the %(name)s in "
                    "the admin first."
                )
                % {"name": name, "problems": " ".join(problems)}
            ]
        }

    def keep_for_review(self, instances, result, raise_errors):
        review = [instance for instance in instances if getattr(instance, "_for_review", False)]
        if not review:
            return instances
        try:
            self.propose(review)
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        return [instance for instance in instances if not getattr(instance, "_for_review", False)]

    def propose(self, records):
        """Keep the rows' changes to published records as changes for review: a few queries
        for the whole batch."""
        model = self._meta.model
        current = read_states(model, [record.pk for record in records])
        names = {field.name for field in self.stored_fields() if not field.many_to_many}
        labels = self.link_labels(records)
        edits = [
            (
                record,
                current[record.pk],
                edited_state(
                    current[record.pk], record, names, getattr(record, "_import_links", {}), labels
                ),
            )
            for record in records
            if record.pk in current
        ]
        proposed = propose_many(model, edits, author=self.user, reason=self.change_reason)
        self.for_review += len(proposed)

    def review_note(self):
        """What the preview says of the rows that wait for review, or None."""
        if not self.for_review:
            return None
        what = self._meta.model._meta.verbose_name_plural
        return ngettext(
            "%(count)s row changes a published record (%(what)s). You may not publish, so "
            "these changes will wait for review under “Changes for review”: the public keeps "
            "seeing the published versions until a Publisher publishes them.",
            "%(count)s rows change published records (%(what)s). You may not publish, so "
            "these changes will wait for review under “Changes for review”: the public keeps "
            "seeing the published versions until a Publisher publishes them.",
            self.for_review,
        ) % {"count": f"{self.for_review:,}", "what": what}
