from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

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
        """Publish the records, keeping the first publication time of any republished one."""
        self.filter(published_at__isnull=True).update(published_at=Now())
        return self.update(publication=Publication.PUBLISHED)

    def unpublish(self):
        return self.update(publication=Publication.DRAFT)


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
            ),
            models.CheckConstraint(
                condition=Q(publication=Publication.DRAFT) | Q(published_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_date",
            ),
        ]

    @property
    def is_published(self):
        return self.publication == Publication.PUBLISHED


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

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="core_source_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(published_on_precision__in=DatePrecision.values),
                name="core_source_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="core_source_url_is_web_address",
            ),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}"
