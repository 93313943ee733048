"""Every dated event of the partnership, on one page: agreements signed, the actions of
their parties (ratifications, entry into force, amendments, expiry) and their other recorded
events, initiative milestones, the days reported figures were released and policies
announced.

The events are read as one UNION of small queries, one per kind of dated fact, each through
its app's published rows, so the database sorts and pages them: a page reads its events
(two queries: the count and the page) and then the records they belong to, one query per
kind of record on the page, however many events there are.
"""

from dataclasses import dataclass
from datetime import date

import django_filters
from django import forms
from django.db.models import CharField, F, OuterRef, Prefetch, Q, Subquery, Value
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from partnership.agreements.models import AgreementAction, AgreementEvent
from partnership.agreements.selectors import agreement_rows, policy_rows
from partnership.agreements.timeline import action_title
from partnership.core.dates import DatePrecision
from partnership.core.filters import YearFilter
from partnership.core.models import published_q, sources_by_date
from partnership.initiatives.models import Milestone
from partnership.investments.models import InvestmentFigure
from partnership.investments.selectors import figure_rows


class EventKind:
    """The kinds of event a visitor may choose, as the address writes them."""

    SIGNING = "signing"
    ACTION = "action"
    MILESTONE = "milestone"
    RELEASE = "release"
    POLICY = "policy"
    CHOICES = [
        (SIGNING, _("Agreements signed")),
        (ACTION, _("Actions on agreements")),
        (MILESTONE, _("Initiative milestones")),
        (RELEASE, _("Investment figures reported")),
        (POLICY, _("Policies announced")),
    ]
    LABELS = {
        SIGNING: _("Signing"),
        ACTION: _("Agreement action"),
        MILESTONE: _("Milestone"),
        RELEASE: _("Figures reported"),
        POLICY: _("Policy announced"),
    }


def _text(value):
    return Value(value, output_field=CharField())


def _branch(queryset, day, kind, item, precision=None):
    """One kind of event as the union's columns: day, precision, kind, item (which record
    the event belongs to and what it says of it), pk. `day` names the date's column.

    A union matches columns by position: a model with translated fields would list its
    columns in an order of its own (django-modeltranslation rewrites `values_list`), so its
    queryset is read here as written."""
    if hasattr(queryset, "rewrite"):
        queryset = queryset.rewrite(False)
    return (
        queryset.filter(**{f"{day}__isnull": False})
        .annotate(
            ev_day=F(day),
            ev_precision=F(precision) if precision else _text(DatePrecision.DAY),
            ev_kind=_text(kind),
            ev_item=_text(item),
            ev_pk=F("pk"),
        )
        .order_by()
        .values_list("ev_day", "ev_precision", "ev_kind", "ev_item", "ev_pk")
    )


def _first_release(column):
    """A figure's earliest dated source: the day (and how precisely) it was released."""
    through = InvestmentFigure.sources.through
    first = through.objects.filter(
        investmentfigure_id=OuterRef("pk"), source__published_on__isnull=False
    ).order_by("source__published_on", "source_id")
    return Subquery(first.values(f"source__{column}")[:1])


def _branches():
    """(kind, queryset of that kind's dated rows, the date column) for every kind of event."""
    agreements = agreement_rows()
    actions = (
        AgreementAction.objects.published()
        .filter(Q(party__isnull=True) | published_q("party__organization"))
        # A date the agreement itself records is told once, by the agreement's own event.
        .exclude(kind="signature", date=F("agreement__signed_on"))
        .exclude(
            party__isnull=True,
            kind="entry_into_force",
            date=F("agreement__in_force_on"),
        )
        .exclude(party__isnull=True, kind="expiry", date=F("agreement__ends_on"))
    )
    figures = figure_rows().annotate(
        released_on=_first_release("published_on"),
        released_precision=_first_release("published_on_precision"),
    )
    events = AgreementEvent.objects.filter(published_q("agreement"))
    milestones = Milestone.objects.filter(published_q("initiative"))
    return [
        (EventKind.SIGNING, agreements, "signed_on", "agreement-signed", None),
        (EventKind.ACTION, agreements, "in_force_on", "agreement-in-force", None),
        (EventKind.ACTION, agreements, "ends_on", "agreement-ends", None),
        (EventKind.ACTION, events, "date", "event", "date_precision"),
        (EventKind.ACTION, actions, "date", "action", "date_precision"),
        (EventKind.MILESTONE, milestones, "date", "milestone", "date_precision"),
        (EventKind.RELEASE, figures, "released_on", "figure", "released_precision"),
        (EventKind.POLICY, policy_rows(), "announced_on", "policy", None),
    ]


def timeline_rows(kinds=None, year=None, newest_first=False):
    """The events of `kinds` (all when empty) in `year` (any when None), in date order, as
    (day, precision, kind, item, pk) rows of one UNION query."""
    parts = []
    for kind, queryset, day, item, precision in _branches():
        if kinds and kind not in kinds:
            continue
        if year is not None:
            queryset = queryset.filter(
                **{f"{day}__gte": date(year, 1, 1), f"{day}__lt": date(year + 1, 1, 1)}
            )
        parts.append(_branch(queryset, day, kind, item, precision))
    first, *rest = parts
    rows = first.union(*rest, all=True) if rest else first
    if newest_first:
        return rows.order_by("-ev_day", "ev_kind", "ev_item", "-ev_pk")
    return rows.order_by("ev_day", "ev_kind", "ev_item", "ev_pk")


SORTS = [("oldest", _("Oldest first")), ("newest", _("Newest first"))]


class TimelineFilter(django_filters.FilterSet):
    """Which events the timeline shows: kinds (several may be chosen) and a year. The
    events come from `timeline_rows()`, a UNION no filter can narrow afterwards, so the
    chosen values are handed to it."""

    kind = django_filters.MultipleChoiceFilter(
        choices=EventKind.CHOICES,
        label=_("Kind of event"),
        widget=forms.CheckboxSelectMultiple,
        method="chosen",
    )
    year = YearFilter(label=_("Year"), method="chosen")
    sort = django_filters.ChoiceFilter(
        choices=SORTS, label=_("Order"), method="chosen", empty_label=_("Oldest first")
    )

    def chosen(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return timeline_rows(
            kinds=data.get("kind") or None,
            year=data.get("year"),
            newest_first=data.get("sort") == "newest",
        )


# The records an event belongs to ---------------------------------------------------------------


@dataclass
class Event:
    """One event as the page shows it: when, what kind, what happened, the record it belongs
    to (its title and address) and the sources that report it."""

    day: date
    precision: str
    kind: str
    what: str
    record: object
    record_title: str
    sources: list

    @property
    def kind_label(self):
        return EventKind.LABELS[self.kind]


def _by_pk(queryset, pks):
    return {obj.pk: obj for obj in queryset.filter(pk__in=pks)} if pks else {}


def _agreement_name(agreement):
    return agreement.short_title or agreement.title


def _earliest_dated(sources):
    dated = [source for source in sources if source.published_on]
    return min(dated, key=lambda source: (source.published_on, source.pk)) if dated else None


def events(rows):
    """The page's rows (from `timeline_rows()`) as Events, reading each kind of record the
    page names with one query (and one for its sources)."""
    rows = list(rows)
    wanted = {}
    for _day, _precision, _kind, item, pk in rows:
        wanted.setdefault(item, set()).add(pk)
    agreement_pks = set().union(
        *(
            wanted.get(item, set())
            for item in ("agreement-signed", "agreement-in-force", "agreement-ends")
        )
    )
    agreements = _by_pk(agreement_rows().prefetch_related(sources_by_date()), agreement_pks)
    agreement_sources = Prefetch("agreement__sources")
    records = {
        "event": _by_pk(
            AgreementEvent.objects.select_related("agreement").prefetch_related(agreement_sources),
            wanted.get("event"),
        ),
        "action": _by_pk(
            AgreementAction.objects.select_related("agreement", "party__organization", "source"),
            wanted.get("action"),
        ),
        "milestone": _by_pk(
            Milestone.objects.select_related("initiative").prefetch_related("initiative__sources"),
            wanted.get("milestone"),
        ),
        "figure": _by_pk(figure_rows().prefetch_related("sources"), wanted.get("figure")),
        "policy": _by_pk(policy_rows().prefetch_related(sources_by_date()), wanted.get("policy")),
    }
    result = []
    for day, precision, kind, item, pk in rows:
        if item.startswith("agreement-"):
            agreement = agreements[pk]
            what = {
                "agreement-signed": (
                    gettext("Signed at %(place)s") % {"place": agreement.signed_at}
                    if agreement.signed_at
                    else gettext("Signed")
                ),
                "agreement-in-force": gettext("Enters into force"),
                "agreement-ends": gettext("Ends"),
            }[item]
            result.append(
                Event(
                    day,
                    precision,
                    kind,
                    what,
                    agreement,
                    _agreement_name(agreement),
                    list(agreement.sources.all()),
                )
            )
            continue
        record = records[item][pk]
        if item == "event":
            agreement = record.agreement
            event = Event(
                day,
                precision,
                kind,
                f"{record.title} ({record.get_kind_display().lower()})",
                agreement,
                _agreement_name(agreement),
                list(agreement.sources.all()),
            )
        elif item == "action":
            agreement = record.agreement
            what = action_title(record) + (f": {record.note}" if record.note else "")
            event = Event(
                day, precision, kind, what, agreement, _agreement_name(agreement), [record.source]
            )
        elif item == "milestone":
            initiative = record.initiative
            event = Event(
                day,
                precision,
                kind,
                record.title,
                initiative,
                initiative.short_name,
                list(initiative.sources.all()),
            )
        elif item == "figure":
            released = _earliest_dated(record.sources.all())
            what = record.get_basis_display()
            if record.amount_as_written:
                what += f": {record.amount_as_written}"
            if record.project_count is not None:
                what += ", " + ngettext(
                    "%(count)s project", "%(count)s projects", record.project_count
                ) % {"count": f"{record.project_count:,}"}
            title = (
                f"{record.origin_country.name} → {record.destination_country.name}, "
                f"{record.period_label or gettext('period not stated')}"
            )
            event = Event(day, precision, kind, what, record, title, [released] if released else [])
        else:
            event = Event(
                day,
                precision,
                kind,
                gettext("Announced"),
                record,
                record.short_name,
                list(record.sources.all()),
            )
        result.append(event)
    return result


def cite_events(references, page_events):
    """The sources of the events on the page, each cited for the record it reports on."""
    for event in page_events:
        references.cite(event.sources, event.record_title)
    return references
