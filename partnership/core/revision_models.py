"""Changes to published records that wait for review: the `Revision` model.

Kept apart from `models` (which imports it, so Django finds it there) because a record's
review is a concern of its own; the logic that proposes, publishes and rejects a change is
in `revisions`.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.core.constraints import choice_valid


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")


class Revision(models.Model):
    """A change an Editor made to a published record, kept aside until a Publisher reviews it.

    The public keeps seeing the published record. `state` is the whole record as the Editor
    left it (`snapshots.read_state()`: fields, links and parts), `base_state` the published
    record it was made from, so the change reads the same however the record moves on;
    `base_version` fingerprints `base_state`, so that a change made on a version that has
    changed since is not published over the newer one.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(verbose_name=_("object id"))
    record = GenericForeignKey("content_type", "object_id")
    record_label = models.CharField(_("record"), max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="revisions",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now, editable=False)
    reason = models.CharField(_("reason for the change"), max_length=100, blank=True)
    base_version = models.CharField(max_length=64, verbose_name=_("base version"))
    base_state = models.JSONField(verbose_name=_("base state"))
    state = models.JSONField(verbose_name=_("state"))
    status = models.CharField(
        max_length=10,
        choices=RevisionStatus,
        default=RevisionStatus.PENDING,
        verbose_name=_("status"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    note = models.TextField(_("note from the reviewer"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("change for review")
        verbose_name_plural = _("changes for review")
        constraints = [
            choice_valid(
                "status",
                RevisionStatus,
                "core_revision_status_valid",
                "A change is waiting for review, published or rejected.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=RevisionStatus.PENDING, reviewed_at__isnull=True)
                    | (~Q(status=RevisionStatus.PENDING) & Q(reviewed_at__isnull=False))
                ),
                name="core_revision_reviewed_when_decided",
                violation_error_message=(
                    "A reviewed change has the time of its review; one waiting has none."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=RevisionStatus.REJECTED, note=""),
                name="core_revision_rejection_has_note",
                violation_error_message="Say why the change is rejected: its author reads it.",
            ),
        ]
        indexes = [
            # The changes waiting on one record: its admin page's banner.
            models.Index(
                fields=["content_type", "object_id", "status"], name="revision_record_idx"
            ),
            # The review list, newest first, by status.
            models.Index(fields=["status", "-created_at"], name="revision_status_idx"),
        ]

    def __str__(self):
        return f"Change to “{self.record_label}”"

    @property
    def is_pending(self):
        return self.status == RevisionStatus.PENDING
