from functools import reduce
from operator import or_
from typing import NamedTuple
from urllib.parse import urlsplit

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnership.core.constraints import choice_valid, precision_valid, web_address
from partnership.core.fields import note_field, precision_field
from partnership.core.signals import records_changed


class Publication(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishOutcome(NamedTuple):
    """What `PublishableQuerySet.publish()` did: the records published, those that already
    were, and those refused, each with the problems that stop it."""

    published: list
    already: list
    refused: list


def published_q(relation=""):
    """The condition "published": of the row itself, or of the record at `relation`.

    `published_q()` is what `.published()` filters on; `published_q("organization")` keeps
    the rows whose organization is published, and works across many-to-many and reverse
    relations too (`published_q("agreements")`), or inside an `Exists` or a `When`.
    """
    field = f"{relation}__publication" if relation else "publication"
    return Q(**{field: Publication.PUBLISHED})


class OrganizationLinkQuerySet(models.QuerySet):
    """Rows tying an organization to a record (`record_field`): a party to an agreement, a
    participation in an initiative. Each side's page lists only what the other has published."""

    record_field = None

    def of_published_organizations(self):
        """Rows whose organization is published: what the record's page lists."""
        return self.filter(published_q("organization"))

    def of_published_records(self):
        """Rows whose record is published: what the organization's page lists."""
        return self.filter(published_q(self.record_field))

    def published(self):
        """Rows the public may see anywhere: the organization and the record are both
        published."""
        return self.filter(published_q("organization"), published_q(self.record_field))


PUBLISH_BATCH = 1000


class PublishableQuerySet(models.QuerySet):
    """The one place that decides what the public may see."""

    def published(self):
        return self.filter(published_q())

    def published_with(self, *relations):
        """Published records with a published record at any of `relations`: the choices of a
        list filter, such as the organizations taking part in a published initiative."""
        linked = reduce(or_, (published_q(relation) for relation in relations))
        return self.published().filter(linked).distinct()

    def drafts(self):
        return self.filter(publication=Publication.DRAFT)

    def publish(self, user=None):
        """Publish the selected drafts that pass their publication checks; refuse the others.

        The selected rows are read once with the facts their checks need (`with_quality()`)
        and each draft is checked (`publication_problems()`). The fit ones are published
        together, a batch at a time: one UPDATE and one set of history entries per batch,
        which keep the change and who made it (`user`, or the user of the current request).
        A record not fit to publish stays a draft; it is returned with its problems.
        Nothing publishes a record around these checks.
        """
        rows = self
        if not any(name.startswith(QUALITY_PREFIX) for name in self.query.annotations):
            rows = self.with_quality()
        outcome = PublishOutcome(published=[], already=[], refused=[])
        fit = []
        for record in rows:
            if record.is_published:
                outcome.already.append(record)
                continue
            problems = record.publication_problems()
            if problems:
                outcome.refused.append((record, problems))
            else:
                fit.append(record)
        now = timezone.now()
        manager = self.model._default_manager
        for start in range(0, len(fit), PUBLISH_BATCH):
            batch = fit[start : start + PUBLISH_BATCH]
            manager.filter(pk__in=[record.pk for record in batch]).update(
                publication=Publication.PUBLISHED,
                published_at=Coalesce("published_at", Value(now)),
                updated_at=now,
            )
            for record in batch:
                record.publication = Publication.PUBLISHED
                record.published_at = record.published_at or now
                record.updated_at = now
            history = getattr(self.model, "history", None)
            if history is not None:
                history.bulk_history_create(batch, update=True, default_user=user)
            outcome.published.extend(batch)
        if outcome.published:
            records_changed.send(self.model, pks=[record.pk for record in outcome.published])
        return outcome

    def unpublish(self):
        changed = 0
        pks = list(self.values_list("pk", flat=True))
        for rows in self._in_batches(pks):
            changed += rows.update(publication=Publication.DRAFT, updated_at=Now())
            _record_history(rows)
        if pks:
            records_changed.send(self.model, pks=pks)
        return changed

    def _in_batches(self, pks, size=500):
        """The rows `pks` as querysets of at most `size` primary keys each."""
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
        _("publication status"),
        max_length=10,
        choices=Publication,
        default=Publication.DRAFT,
        db_index=True,
        help_text=_("Drafts are visible only to staff. Publish when the record is checked."),
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()
    # Changes to the published record that wait for a Publisher; they go with the record.
    revisions = GenericRelation("core.Revision", verbose_name=_("revisions"))

    class Meta:
        abstract = True
        constraints = [
            choice_valid(
                "publication",
                Publication,
                "%(app_label)s_%(class)s_publication_valid",
                "A record is either a draft or published.",
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
        """Name → expression for the facts `quality_checks()` needs beyond the row itself:
        here, for a record that cites sources, whether it cites one (`sources_check()`)."""
        if any(field.name == "sources" for field in cls._meta.many_to_many):
            return {"has_sources": sources_cited(cls)}
        return {}

    def fact(self, name, compute):
        annotated = QUALITY_PREFIX + name
        if hasattr(self, annotated):
            return getattr(self, annotated)
        return compute()

    def quality_checks(self):
        """The record's data-quality checks, in the order an editor reads them."""
        return []

    def sources_check(self, problem=None):
        """A record that cites no source may not be published."""
        if problem is None:
            problem = _("It cites no source: add at least one source.")
        return Check(_("sources"), self.fact("has_sources", self.sources.exists), problem)

    def publication_problems(self):
        """What must be put right before the record may be published, in plain words."""
        return [
            str(check.problem) for check in self.quality_checks() if not check.ok and check.required
        ]

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


class ShortNamed(models.Model):
    """A record with a full name and an optional acronym, written "Board of Investment (BOI)";
    its short name is the acronym where it has one. `name_field` holds the full name."""

    name_field = "name"

    class Meta:
        abstract = True

    def __str__(self):
        name = getattr(self, self.name_field)
        return f"{name} ({self.acronym})" if self.acronym else name

    @property
    def short_name(self):
        return self.acronym or getattr(self, self.name_field)


class RecordHistory(models.Model):
    """What each history entry of a record keeps beyond the record's own fields.

    `relations` holds the record's links and parts (sources, parties, areas …) as
    `snapshots.read_relations()` reads them, so a version can be shown and restored whole;
    empty (NULL) where an entry was written without them, such as by a publish action,
    which changes no relation: such an entry has the relations of the entry before it.
    `event` names what the entry was when it was more than an edit ("Reverted to the
    version of …").
    """

    relations = models.JSONField(null=True, blank=True, editable=False, verbose_name=_("relations"))
    event = models.CharField(
        max_length=200, blank=True, default="", editable=False, verbose_name=_("event")
    )

    class Meta:
        abstract = True


def record_history(**options):
    """The history of a record with links or parts: every entry keeps them too."""
    return HistoricalRecords(bases=[RecordHistory], **options)


class SourceKind(models.TextChoices):
    """Who published a source: the body whose facts it reports, a newspaper, a distributor
    passing on someone else's release, or a body publishing data."""

    OFFICIAL = "official", _("Official publication")
    NEWS = "news", _("News report")
    REPOST = "repost", _("Distributor or repost")
    DATASET = "dataset", _("Dataset")


# How firmly a set of sources stands behind a fact, strongest first: what the body itself
# published, then a distributor's copy of its release, then a news report.
STANDINGS = {
    "official": _("Official publication"),
    "repost": _("Distributor or repost"),
    "news": _("News report"),
    "none": _("No source"),
}


def standing(sources):
    """The strongest kind among `sources` (already loaded): "official" when any is an
    official publication or a dataset, else "repost", else "news"; "none" without a source."""
    kinds = {source.kind for source in sources}
    if kinds & {SourceKind.OFFICIAL, SourceKind.DATASET}:
        return "official"
    if SourceKind.REPOST in kinds:
        return "repost"
    return "news" if kinds else "none"


class SourceQuerySet(models.QuerySet):
    def cited(self):
        """Sources at least one published record cites; a source only drafts cite stays out
        of sight with them. Every record model citing sources (a many-to-many to Source from
        a Publishable model) counts, without this module naming any of them."""
        cited = Q()
        for relation in self.model._meta.related_objects:
            if not (relation.many_to_many and issubclass(relation.related_model, Publishable)):
                continue
            field = relation.field
            links = field.remote_field.through.objects.filter(
                published_q(field.m2m_field_name()),
                **{field.m2m_reverse_field_name(): OuterRef("pk")},
            )
            cited |= Exists(links)
        return self.filter(cited)

    def published(self):
        """The sources the public sees: those a published record cites. A source has no
        publication status of its own; a change to one the public sees waits for review."""
        return self.cited()


def sources_by_date():
    """A record's sources, oldest first: the order a record's citations are listed in."""
    return Prefetch("sources", queryset=Source.objects.order_by("published_on", "pk"))


class Source(models.Model):
    """Where a fact comes from. Public pages cite it next to the facts it supports."""

    title = models.CharField(
        max_length=300, help_text=_("The title as the source gives it."), verbose_name=_("title")
    )
    publisher = models.CharField(
        max_length=200,
        help_text=_("Who published it: a ministry, a newspaper, an agency."),
        verbose_name=_("publisher"),
    )
    url = models.URLField(
        _("address"), max_length=500, blank=True, help_text=_("Web address, starting https://.")
    )
    kind = models.CharField(
        max_length=20,
        choices=SourceKind,
        default=SourceKind.NEWS,
        help_text=_(
            "Official publication: published by the body whose facts it reports "
            "(a ministry, an agency, a company about its own work). News report: a newspaper or "
            "news site. Distributor or repost: a copy of someone else's release (a wire service, "
            "a site reprinting a press release). Dataset: statistics a body publishes as data."
        ),
        verbose_name=_("kind"),
    )
    release_of = models.CharField(
        _("release of"),
        max_length=200,
        blank=True,
        help_text=_(
            "For a distributor or repost: whose release it passes on, e.g. Thailand "
            "Board of Investment. Leave empty if the copy does not say."
        ),
    )
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("Leave empty if the source carries no date."),
        verbose_name=_("published on"),
    )
    published_on_precision = precision_field(
        help_text=_("If only the month or year is known, enter the first day and choose here.")
    )
    accessed_on = models.DateField(
        _("last checked"),
        null=True,
        blank=True,
        help_text=_("When someone last opened the address."),
    )
    note = note_field(
        None,
        help_text=_("Anything a reader should know about this source, such as a known mistake."),
    )

    objects = SourceQuerySet.as_manager()
    history = record_history()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]
        permissions = [("publish_source", "Can publish changes to sources the public sees")]
        constraints = [
            choice_valid(
                "kind",
                SourceKind,
                "core_source_kind_valid",
                "Choose one of the listed kinds of source.",
            ),
            precision_valid("published_on_precision", name="core_source_precision_valid"),
            web_address(
                "url",
                "core_source_url_is_web_address",
                "The address must be a web address starting https://.",
            ),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}"

    @property
    def is_home_page(self):
        """Whether the address is a site's home page rather than the item itself."""
        if not self.url:
            return False
        parts = urlsplit(self.url)
        return parts.path in ("", "/") and not parts.query and not parts.fragment

    @property
    def kind_text(self):
        """ "News report"; "Distributor or repost of a release by Thailand Board of
        Investment"."""
        return self._kind_words(self.get_kind_display())

    @property
    def kind_phrase(self):
        """kind_text within a sentence: "distributor or repost of a release by Thailand Board
        of Investment" (the kind in lower case, the name as it is written)."""
        return self._kind_words(self.get_kind_display().lower())

    def _kind_words(self, label):
        if self.kind == SourceKind.REPOST and self.release_of:
            return gettext("%(kind)s of a release by %(publisher)s") % {
                "kind": label,
                "publisher": self.release_of,
            }
        return label


# The model of changes waiting for review, defined in its own module (see there).
from partnership.core.revision_models import Revision, RevisionStatus  # noqa: E402, F401
