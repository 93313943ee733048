from typing import NamedTuple

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Now
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnership.core.dates import DatePrecision


class Publication(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    """The one place that decides what the public may see."""

    def published(self):
        return self.filter(publication=Publication.PUBLISHED)

    def drafts(self):
        return self.filter(publication=Publication.DRAFT)

    def publish(self):
        """Publish the records, keeping the first publication time of any republished one.

        An UPDATE bypasses `auto_now` and the history's signals, so the time of the change is
        set here and each record gets its history entry. The admin publishes through each
        record's `publish()` instead, after checking it is fit to publish.
        """
        changed = 0
        for rows in self._in_batches():
            rows.filter(published_at__isnull=True).update(published_at=Now())
            changed += rows.update(publication=Publication.PUBLISHED, updated_at=Now())
            _record_history(rows)
        return changed

    def unpublish(self):
        changed = 0
        for rows in self._in_batches():
            changed += rows.update(publication=Publication.DRAFT, updated_at=Now())
            _record_history(rows)
        return changed

    def _in_batches(self, size=500):
        """The selected rows as querysets of at most `size` primary keys each."""
        pks = list(self.values_list("pk", flat=True))
        manager = self.model._default_manager
        for start in range(0, len(pks), size):
            yield manager.filter(pk__in=pks[start : start + size])

    def with_quality(self):
        """Annotate the facts `quality_checks()` reads, so a list checks every row at once."""
        annotations = self.model.quality_annotations()
        return self.annotate(**{QUALITY_PREFIX + name: expr for name, expr in annotations.items()})


def _record_history(rows):
    """Add a history entry for each row changed by an UPDATE, which sends no signals."""
    history = getattr(rows.model, "history", None)
    if history is not None:
        history.bulk_history_create(list(rows), update=True)


class Check(NamedTuple):
    """One point of a record's data quality, as an editor reads it.

    `label` names what is checked ("sources"); `problem` says in plain words what is missing;
    a `required` check must pass before the record can be published.
    """

    label: str
    ok: bool
    problem: str
    required: bool = True


QUALITY_PREFIX = "quality_"


def sources_cited(model):
    """Whether a record cites a source: an EXISTS on its sources' link table."""
    through = model._meta.get_field("sources").remote_field.through
    return Exists(through.objects.filter(**{f"{model._meta.model_name}_id": OuterRef("pk")}))


class Publishable(models.Model):
    """A record the public sees only once an editor has published it."""

    publication = models.CharField(
        "publication status",
        max_length=10,
        choices=Publication,
        default=Publication.DRAFT,
        db_index=True,
        help_text="Drafts are visible only to staff. Publish when the record is checked.",
    )
    published_at = models.DateTimeField("first published", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("last updated", auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(publication__in=Publication.values),
                name="%(app_label)s_%(class)s_publication_valid",
                violation_error_message="A record is either a draft or published.",
            ),
            models.CheckConstraint(
                condition=Q(publication=Publication.DRAFT) | Q(published_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_date",
                violation_error_message="A published record needs the time it was first published.",
            ),
        ]

    @property
    def is_published(self):
        return self.publication == Publication.PUBLISHED

    # Fitness to publish: each model lists its checks in `quality_checks()`; the facts that
    # need a query are annotated for a whole list by `quality_annotations()` and read through
    # `fact()`, which queries for a single record that was loaded without them.

    @classmethod
    def quality_annotations(cls):
        """Name → expression for the facts `quality_checks()` needs beyond the row itself."""
        return {}

    def fact(self, name, compute):
        annotated = QUALITY_PREFIX + name
        if hasattr(self, annotated):
            return getattr(self, annotated)
        return compute()

    def quality_checks(self):
        """The record's data-quality checks, in the order an editor reads them."""
        return []

    def publication_problems(self):
        """What must be put right before the record may be published, in plain words."""
        return [check.problem for check in self.quality_checks() if not check.ok and check.required]

    def publish(self):
        """Publish this record by saving it, so its history keeps the change."""
        self.publication = Publication.PUBLISHED
        fields = ["publication", "updated_at"]
        if self.published_at is None:
            self.published_at = timezone.now()
            fields.append("published_at")
        self.save(update_fields=fields)

    def unpublish(self):
        self.publication = Publication.DRAFT
        self.save(update_fields=["publication", "updated_at"])


class SourceKind(models.TextChoices):
    OFFICIAL_DOCUMENT = "official", "Official document"
    PRESS_RELEASE = "press_release", "Press release"
    STATISTICS = "statistics", "Statistics"
    NEWS = "news", "News report"
    REPORT = "report", "Report"
    WEB_PAGE = "web", "Web page"


class Source(models.Model):
    """Where a fact comes from. Public pages cite it next to the facts it supports."""

    title = models.CharField(max_length=300, help_text="The title as the source gives it.")
    publisher = models.CharField(
        max_length=200, help_text="Who published it: a ministry, a newspaper, an agency."
    )
    url = models.URLField(
        "address", max_length=500, blank=True, help_text="Web address, starting https://."
    )
    kind = models.CharField(max_length=20, choices=SourceKind, default=SourceKind.NEWS)
    published_on = models.DateField(
        null=True, blank=True, help_text="Leave empty if the source carries no date."
    )
    published_on_precision = models.CharField(
        "date known to the",
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text="If only the month or year is known, enter the first day and choose here.",
    )
    accessed_on = models.DateField(
        "last checked", null=True, blank=True, help_text="When someone last opened the address."
    )
    note = models.TextField(
        blank=True,
        help_text="Anything a reader should know about this source, such as a known mistake.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values),
                name="core_source_kind_valid",
                violation_error_message="Choose one of the listed kinds of source.",
            ),
            models.CheckConstraint(
                condition=Q(published_on_precision__in=DatePrecision.values),
                name="core_source_precision_valid",
                violation_error_message="Choose day, month or year for how well the date is known.",
            ),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="core_source_url_is_web_address",
                violation_error_message="The address must be a web address starting https://.",
            ),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}"
