from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnership.core.constraints import (
    choice_valid,
    dates_in_order,
    not_negative,
    precision_valid,
)
from partnership.core.fields import (
    aliases_field,
    description_field,
    note_field,
    optional_decimal,
    optional_link,
    part_of,
    precision_field,
    reason_field,
    sources_field,
    stating_source,
    summary_field,
    uncertainty_field,
)
from partnership.core.models import (
    Check,
    OrganizationLinkQuerySet,
    Publishable,
    ShortNamed,
    published_q,
    record_history,
)
from partnership.core.pages import DetailPage
from partnership.core.reported import (
    DatedStep,
    LinkBasis,
    ReportedStatus,
    link_basis_constraints,
    link_basis_errors,
)


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class Initiative(DetailPage, ShortNamed, ReportedStatus, Publishable):
    """A programme or project that carries out one or more cooperation areas."""

    title = models.CharField(max_length=300, verbose_name=_("title"))
    acronym = models.CharField(max_length=30, blank=True, verbose_name=_("acronym"))
    aliases = aliases_field()
    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    summary = summary_field()
    description = description_field()
    status = models.CharField(
        max_length=20,
        choices=InitiativeStatus,
        default=InitiativeStatus.ACTIVE,
        verbose_name=_("status"),
    )
    start_date = models.DateField(null=True, blank=True, verbose_name=_("start date"))
    start_date_precision = precision_field(_("start known to the"))
    end_date = models.DateField(null=True, blank=True, verbose_name=_("end date"))
    end_date_precision = precision_field(_("end known to the"))
    agreement = optional_link(
        "agreements.Agreement",
        models.SET_NULL,
        "initiatives",
        help_text=_(
            "The agreement the initiative falls under or is most closely tied to, if "
            "any. Say below how that is known."
        ),
        verbose_name=_("agreement"),
    )
    agreement_basis = models.CharField(
        _("how the tie to the agreement is known"),
        max_length=10,
        choices=LinkBasis,
        blank=True,
        help_text=_(
            "“Stated in a source” when a cited source says the initiative falls under "
            "the agreement (choose that source); “editors' reading” otherwise (give the reason)."
        ),
    )
    agreement_reason = reason_field(
        _("One line: why the record ties the initiative to the agreement.")
    )
    agreement_source = stating_source(_("source stating the tie"))
    areas = models.ManyToManyField(
        "agreements.CooperationArea",
        through="AreaLink",
        blank=True,
        related_name="initiatives",
        help_text=_("The cooperation areas the initiative serves."),
        verbose_name=_("areas"),
    )
    sectors = models.ManyToManyField(
        "sectors.Sector", blank=True, related_name="initiatives", verbose_name=_("sectors")
    )
    uncertainty = uncertainty_field()
    sources = sources_field("initiatives")

    history = record_history()
    name_field = "title"

    page_url_name = "initiatives:detail"

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["title"]
        permissions = [("publish_initiative", "Can publish and unpublish initiatives")]
        constraints = [
            *Publishable.Meta.constraints,
            *ReportedStatus.Meta.constraints,
            *link_basis_constraints(
                "initiatives_initiative_agreement",
                basis="agreement_basis",
                reason="agreement_reason",
                source="agreement_source",
                linked="agreement",
            ),
            choice_valid(
                "status",
                InitiativeStatus,
                "initiatives_initiative_status_valid",
                "Choose one of the listed statuses.",
            ),
            dates_in_order(
                "start_date",
                "end_date",
                "initiatives_initiative_ends_after_start",
                "The end date must be on or after the start date.",
            ),
            precision_valid(
                "start_date_precision",
                "end_date_precision",
                name="initiatives_initiative_precision_valid",
            ),
        ]

    @classmethod
    def quality_annotations(cls):
        return {
            **super().quality_annotations(),
            "has_participants": Exists(Participation.objects.filter(initiative=OuterRef("pk"))),
            "has_areas": Exists(AreaLink.objects.filter(initiative_id=OuterRef("pk"))),
        }

    def quality_checks(self):
        return [
            self.sources_check(),
            Check(
                _("summary"),
                bool(self.summary),
                _("It has no summary: say in one or two sentences what it does."),
            ),
            Check(
                _("participants"),
                self.fact("has_participants", self.participations.exists),
                _("No participating organization is named."),
                required=False,
            ),
            Check(
                _("areas"),
                self.fact("has_areas", self.areas.exists),
                _("It serves no cooperation area."),
                required=False,
            ),
        ]

    @property
    def agreement_link(self):
        """The tie to the agreement as a link with its basis, or None without an agreement
        (or while the agreement is a draft, once the selectors left it out)."""
        if self.agreement_id is None or self.agreement is None:
            return None
        return TieToAgreement(self, self.agreement)

    @property
    def served_areas(self):
        """The areas it serves, read from its (prefetched) area links."""
        return [link.area for link in self.area_links.all()]

    def tie_to(self, agreement):
        """The tie to `agreement`, already loaded, as a link with its basis."""
        return TieToAgreement(self, agreement)

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be on or after the start date."
        if self.agreement_id is None:
            # Nothing to qualify: a basis left from an earlier agreement is cleared.
            self.agreement_basis, self.agreement_reason, self.agreement_source = "", "", None
        elif not self.agreement_basis:
            errors["agreement_basis"] = "Say whether a source states the tie to the agreement."
        else:
            errors.update(
                link_basis_errors(
                    self.agreement_basis,
                    self.agreement_reason,
                    self.agreement_source_id,
                    fields={"reason": "agreement_reason", "source": "agreement_source"},
                )
            )
        if self.status_as_of and self.status_source_id is None:
            errors["status_source"] = "A dated status needs the source that reported it."
        if errors:
            raise ValidationError(errors)


class TieToAgreement:
    """An initiative's tie to its agreement, read like an area link: `basis`, `reason`,
    `source`, `get_basis_display()`, and the agreement as `target`."""

    def __init__(self, initiative, agreement):
        self.initiative = initiative
        self.target = agreement
        self.basis = initiative.agreement_basis
        self.reason = initiative.agreement_reason
        self.source = initiative.agreement_source

    @property
    def is_stated(self):
        return self.basis == LinkBasis.STATED

    def get_basis_display(self):
        return LinkBasis(self.basis).label if self.basis in LinkBasis.values else ""


class AreaLinkQuerySet(models.QuerySet):
    def of_published_initiatives(self):
        """Links of published initiatives: what an area's page lists."""
        return self.filter(published_q("initiative"))

    def of_published_areas(self):
        """Links to areas of published agreements: what an initiative's page lists."""
        return self.filter(published_q("area__agreement"))

    def published(self):
        return self.of_published_initiatives().of_published_areas()


class AreaLink(models.Model):
    """An initiative serving a cooperation area, and how that is known: stated in a cited
    source, or the editors' reading with its reason."""

    initiative = part_of(Initiative, "area_links", _("initiative"))
    area = part_of("agreements.CooperationArea", "initiative_links", _("cooperation area"))
    basis = models.CharField(
        _("how it is known"),
        max_length=10,
        choices=LinkBasis,
        help_text=_(
            "“Stated in a source” when a cited source says the initiative serves the "
            "area (choose it); “editors' reading” otherwise (give the reason)."
        ),
    )
    reason = reason_field(_("One line: why the record links the initiative to the area."))
    source = stating_source(_("source stating the link"))

    objects = AreaLinkQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["area__agreement", "area__number", "pk"]
        verbose_name = _("cooperation area served")
        verbose_name_plural = _("cooperation areas served")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "area"], name="initiatives_arealink_once_per_area"
            ),
            *link_basis_constraints(
                "initiatives_arealink", basis="basis", reason="reason", source="source"
            ),
        ]

    def __str__(self):
        return f"{self.initiative} – {self.area}"

    @property
    def target(self):
        return self.area

    @property
    def is_stated(self):
        return self.basis == LinkBasis.STATED

    def clean(self):
        errors = link_basis_errors(
            self.basis, self.reason, self.source_id, fields={"reason": "reason", "source": "source"}
        )
        if errors:
            raise ValidationError(errors)


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    IMPLEMENTING = "implementing", _("Implementing")
    FUNDING = "funding", _("Funding or commissioning")
    PARTNER = "partner", _("Partner")


class ParticipationQuerySet(OrganizationLinkQuerySet):
    record_field = "initiative"


class Participation(models.Model):
    initiative = part_of(Initiative, "participations", _("initiative"))
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organization"),
    )
    role = models.CharField(max_length=20, choices=ParticipantRole, verbose_name=_("role"))
    note = note_field(250, help_text=_("What the organization does, in a few words."))

    objects = ParticipationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "organization", "role"],
                name="initiatives_participation_unique_role",
            ),
            choice_valid(
                "role",
                ParticipantRole,
                "initiatives_participation_role_valid",
                "Choose one of the listed roles.",
            ),
        ]

    def __str__(self):
        return f"{self.organization} – {self.get_role_display()}"


class Milestone(DatedStep):
    initiative = part_of(Initiative, "milestones", _("initiative"))
    title = models.CharField(max_length=250, verbose_name=_("title"))
    description = description_field()

    history = HistoricalRecords()

    class Meta(DatedStep.Meta):
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            precision_valid("date_precision", name="initiatives_milestone_precision_valid"),
        ]

    def __str__(self):
        return self.title


class Target(models.Model):
    """What an initiative aims for and what it reached, e.g. IoT instructors trained."""

    initiative = part_of(Initiative, "targets", _("initiative"))
    label = models.CharField(
        max_length=200,
        help_text=_("What is counted, e.g. IoT instructors trained"),
        verbose_name=_("label"),
    )
    unit = models.CharField(
        max_length=50,
        blank=True,
        help_text=_("e.g. people, vehicles a day"),
        verbose_name=_("unit"),
    )
    target_value = optional_decimal(
        _("Leave empty if no target was set."), verbose_name=_("target value")
    )
    reached_value = optional_decimal(
        _("Leave empty if not yet reported."), verbose_name=_("reached value")
    )
    reached_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("When the reached value was reported."),
        verbose_name=_("reached on"),
    )
    note = note_field()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["pk"]
        constraints = [
            not_negative(
                "target_value",
                "initiatives_target_value_not_negative",
                "A target cannot be negative.",
            ),
            not_negative(
                "reached_value",
                "initiatives_target_reached_not_negative",
                "A reached value cannot be negative.",
            ),
        ]

    def __str__(self):
        return self.label
