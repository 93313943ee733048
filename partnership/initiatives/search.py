"""What the site search reads of initiatives (see core/searchable.py): the text their pages
show, related records only once published."""

from django.db.models import Prefetch

from partnership.agreements.models import Agreement
from partnership.core.dates import DatePrecision
from partnership.core.searchable import (
    Document,
    SearchKind,
    short_named,
    texts,
    written_date,
)
from partnership.sectors.models import Sector

from . import selectors
from .models import Initiative


def initiative_rows():
    return Initiative.objects.published().prefetch_related(
        Prefetch("agreement", queryset=Agreement.objects.published()),
        Prefetch("participations", queryset=selectors.participants()),
        Prefetch("sectors", queryset=Sector.objects.published()),
        "milestones",
        "targets",
    )


def initiative_document(initiative):
    started = written_date(
        initiative.start_date, initiative.start_date_precision or DatePrecision.DAY
    )
    text = [*texts(initiative, "summary", "description"), initiative.get_status_display()]
    if started:
        text.append(f"Since {started}")
    if initiative.agreement is not None:
        text += texts(initiative.agreement, "title", "short_title")
    for participation in initiative.participations.all():
        text += short_named(participation.organization) + texts(participation, "note")
    text += [name for sector in initiative.sectors.all() for name in texts(sector, "name")]
    for milestone in initiative.milestones.all():
        text += texts(milestone, "title", "description")
    for target in initiative.targets.all():
        text += texts(target, "label", "note")
    text += texts(initiative, "uncertainty")
    status = initiative.get_status_display()
    return Document.of(
        initiative,
        short_named(initiative),
        title=str(initiative),
        text=text,
        meta=status + (f", since {started}" if started else ""),
        summary=initiative.summary or initiative.description,
        date=initiative.start_date,
    )


KINDS = [
    SearchKind(
        "initiatives",
        Initiative,
        initiative_rows,
        initiative_document,
        follows=(
            "agreement",
            "participations__organization",
            "sectors",
            "participations",
            "milestones",
            "targets",
        ),
        shown=("title", "acronym", "publication"),
    ),
]
