"""An agreement's dated history as its page shows it: the timeline of its signing, entry
into force, end, recorded events and actions, and the table of actions by party.

Everything is read from what `selectors.agreement_details()` prefetched: no query here.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils.text import get_text_list
from django.utils.translation import gettext

from partnership.core.dates import DatePrecision

from .models import ActionKind


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    precision: str
    title: str
    kind: str
    source: object = None


def folded(action, agreement):
    """Whether an action only repeats a date the agreement itself records: a party's
    signature on the signing day, the entry into force or expiry for all parties on the
    agreement's in-force or end date. The timeline shows such a date once."""
    if action.kind == ActionKind.SIGNATURE:
        return action.date == agreement.signed_on
    if action.party_id is None and action.kind == ActionKind.ENTRY_INTO_FORCE:
        return action.date == agreement.in_force_on
    if action.party_id is None and action.kind == ActionKind.EXPIRY:
        return action.date == agreement.ends_on
    return False


def action_title(action):
    """ "Ratification by Ministry of Industry (MOI)"; "Amendment (all parties)"."""
    label = action.get_kind_display()
    if action.party_id is None:
        return gettext("%(action)s (all parties)") % {"action": label}
    return gettext("%(action)s by %(party)s") % {
        "action": label,
        "party": action.party.organization,
    }


def agreement_timeline(agreement):
    """Signing, entry into force, end, every recorded event and every action not already
    told by those dates, in date order."""
    entries = [
        TimelineEntry(event.date, event.date_precision, event.title, event.get_kind_display())
        for event in agreement.events.all()
    ]
    signers = [
        action.party.organization.short_name
        for action in agreement.actions.all()
        if action.kind == ActionKind.SIGNATURE and folded(action, agreement)
    ]
    if agreement.signed_on:
        words = {"place": agreement.signed_at, "signers": get_text_list(signers, gettext("and"))}
        if agreement.signed_at and signers:
            title = gettext("Signed at %(place)s by %(signers)s") % words
        elif agreement.signed_at:
            title = gettext("Signed at %(place)s") % words
        elif signers:
            title = gettext("Signed by %(signers)s") % words
        else:
            title = gettext("Signed")
        entries.append(
            TimelineEntry(agreement.signed_on, DatePrecision.DAY, title, gettext("Signing"))
        )
    if agreement.in_force_on:
        entries.append(
            TimelineEntry(
                agreement.in_force_on,
                DatePrecision.DAY,
                gettext("Enters into force"),
                gettext("Entry into force"),
            )
        )
    if agreement.ends_on:
        entries.append(
            TimelineEntry(agreement.ends_on, DatePrecision.DAY, gettext("Ends"), gettext("End"))
        )
    for action in agreement.actions.all():
        if not folded(action, agreement):
            entries.append(
                TimelineEntry(
                    action.date,
                    action.date_precision,
                    action_title(action),
                    gettext("Action"),
                    action.source,
                )
            )
    return sorted(entries, key=lambda entry: entry.date)


@dataclass
class PartyRow:
    """One party's actions, one cell per kind of action the table shows."""

    organization: object  # None: the agreement as a whole
    cells: list = field(default_factory=list)


@dataclass(frozen=True)
class SigningDay:
    """A party's signature known from the signing date and a signatory who signed for it,
    with no action of its own recorded."""

    date: date
    date_precision: str = DatePrecision.DAY
    from_signing: bool = True


def actions_by_party(agreement):
    """The agreement's actions as a table: a row per party (and one for the agreement as a
    whole when it has actions), a column per kind of action recorded, each cell the
    actions of that kind. A party whose signatory is recorded and whose signature is not
    gets the signing date, marked as such. Empty when no action is known."""
    parties = list(agreement.parties.all())
    actions = list(agreement.actions.all())
    signed_for = {s.organization_id for s in agreement.signatories.all() if s.organization_id}
    kinds = [kind for kind in ActionKind if any(a.kind == kind for a in actions)]
    derived = {}
    if agreement.signed_on:
        for party in parties:
            has_own = any(
                a.kind == ActionKind.SIGNATURE and a.party_id == party.pk for a in actions
            )
            if party.organization_id in signed_for and not has_own:
                derived[party.pk] = SigningDay(agreement.signed_on)
    if derived and ActionKind.SIGNATURE not in kinds:
        kinds.insert(0, ActionKind.SIGNATURE)
    if not kinds:
        return {"kinds": [], "rows": []}
    rows = []
    for party in parties:
        row = PartyRow(party.organization)
        for kind in kinds:
            cell = [a for a in actions if a.party_id == party.pk and a.kind == kind]
            if kind == ActionKind.SIGNATURE and party.pk in derived:
                cell = [derived[party.pk]]
            row.cells.append(cell)
        rows.append(row)
    whole = [a for a in actions if a.party_id is None]
    if whole:
        rows.append(PartyRow(None, [[a for a in whole if a.kind == kind] for kind in kinds]))
    return {"kinds": [kind.label for kind in kinds], "rows": rows}
