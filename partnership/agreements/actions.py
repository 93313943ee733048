"""Dated actions on an agreement: a signature, ratification or withdrawal by one of its
parties, or what became of the agreement as a whole (entry into force, amendment, expiry),
each with the source that reports it; and the other dated steps in an agreement's life
(negotiations, reviews). Part of the agreements app's models."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnership.core.constraints import choice_valid, precision_valid
from partnership.core.fields import note_field, optional_link, part_of
from partnership.core.models import published_q
from partnership.core.reported import DatedStep


class ActionKind(models.TextChoices):
    """What a party did, or what became of the agreement, on a given day: the actions a
    treaty collection lists for each participant."""

    SIGNATURE = "signature", _("Signature")
    RATIFICATION = "ratification", _("Ratification")
    APPROVAL = "approval", _("Approval or acceptance")
    ENTRY_INTO_FORCE = "entry_into_force", _("Entry into force")
    AMENDMENT = "amendment", _("Amendment")
    EXPIRY = "expiry", _("Expiry")
    TERMINATION = "termination", _("Termination")
    WITHDRAWAL = "withdrawal", _("Withdrawal")


# Acts only a party can take: each names the party that took it.
PARTY_ACTIONS = (
    ActionKind.SIGNATURE,
    ActionKind.RATIFICATION,
    ActionKind.APPROVAL,
    ActionKind.WITHDRAWAL,
)
PARTY_ACTION_MESSAGE = "A signature, ratification, approval or withdrawal names the party."
NOT_A_PARTY_MESSAGE = "Choose one of this agreement's own parties (save new parties first)."


class AgreementActionQuerySet(models.QuerySet):
    def published(self):
        """Actions on published agreements; an action's party is shown with it once the
        party's organization is published (see `agreements/selectors.py`)."""
        return self.filter(published_q("agreement"))


class AgreementAction(DatedStep):
    """A dated action on an agreement: by one of its parties (a signature, a ratification,
    its entry into force for that party) or, with no party, by the parties together (an
    amendment, its expiry). Each cites the source that reports it.

    The party is one of the agreement's own parties (`clean()` checks it for the admin);
    a party that has actions cannot be removed from the agreement without removing them.
    """

    agreement = part_of("agreements.Agreement", "actions", _("agreement"))
    party = optional_link(
        "agreements.AgreementParty",
        models.RESTRICT,
        "actions",
        help_text=_(
            "The party that took the action. Leave empty for an action of the agreement "
            "as a whole, such as its entry into force for all parties, an amendment or its expiry."
        ),
        verbose_name=_("party"),
    )
    kind = models.CharField(max_length=20, choices=ActionKind, verbose_name=_("kind"))
    source = models.ForeignKey(
        "core.Source",
        on_delete=models.PROTECT,
        related_name="agreement_actions",
        help_text=_("The source that reports the action and its date."),
        verbose_name=_("source"),
    )
    note = note_field(help_text=_("e.g. the instrument of ratification deposited."))

    objects = AgreementActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(DatedStep.Meta):
        verbose_name = _("agreement action")
        verbose_name_plural = _("agreement actions")
        constraints = [
            choice_valid(
                "kind",
                ActionKind,
                "agreements_action_kind_valid",
                "Choose one of the listed actions.",
            ),
            precision_valid("date_precision", name="agreements_action_precision_valid"),
            models.CheckConstraint(
                condition=~Q(kind__in=PARTY_ACTIONS) | Q(party__isnull=False),
                name="agreements_action_party_act_names_party",
                violation_error_message=PARTY_ACTION_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["agreement", "party", "kind", "date"],
                condition=Q(party__isnull=False),
                name="agreements_action_once_per_party_and_day",
                violation_error_message="This party's action on that day is already recorded.",
            ),
            models.UniqueConstraint(
                fields=["agreement", "kind", "date"],
                condition=Q(party__isnull=True),
                name="agreements_action_once_per_day",
                violation_error_message="This action on that day is already recorded.",
            ),
        ]
        indexes = [
            # The timeline: actions in date order, and those of one year.
            models.Index(fields=["date"], name="agreement_action_date_idx"),
        ]

    def __str__(self):
        who = f" by {self.party.organization.short_name}" if self.party_id else ""
        return f"{self.get_kind_display()}{who}"

    def clean(self):
        errors = {}
        if self.kind in PARTY_ACTIONS and self.party_id is None:
            errors["party"] = PARTY_ACTION_MESSAGE
        both_known = self.party_id is not None and self.agreement_id is not None
        if both_known and self.party.agreement_id != self.agreement_id:
            errors["party"] = NOT_A_PARTY_MESSAGE
        if errors:
            raise ValidationError(errors)


class EventKind(models.TextChoices):
    NEGOTIATION = "negotiation", _("Negotiation")
    MILESTONE = "milestone", _("Milestone")
    REVIEW = "review", _("Review")


class AgreementEvent(DatedStep):
    """A dated step in an agreement's life beyond signing and entry into force."""

    agreement = part_of("agreements.Agreement", "events", _("agreement"))
    kind = models.CharField(
        max_length=20, choices=EventKind, default=EventKind.MILESTONE, verbose_name=_("kind")
    )
    title = models.CharField(
        max_length=250, help_text=_("e.g. Negotiations begin"), verbose_name=_("title")
    )

    history = HistoricalRecords()

    class Meta(DatedStep.Meta):
        verbose_name = _("agreement event")
        verbose_name_plural = _("agreement events")
        constraints = [
            precision_valid("date_precision", name="agreements_event_precision_valid"),
        ]

    def __str__(self):
        return self.title
