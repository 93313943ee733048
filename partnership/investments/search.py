"""What the site search reads of investment projects and reported figures (see
core/searchable.py): the text their pages show, related records only once published."""

from partnership.agreements.models import Agreement
from partnership.core.searchable import Document, SearchKind, country_names, short_named, texts
from partnership.initiatives.models import Initiative
from partnership.organizations.models import Organization
from partnership.sectors.models import Sector

from .models import Investment, InvestmentFigure
from .selectors import published


def route(record):
    return f"{record.origin_country.name} → {record.destination_country.name}"


def investment_rows():
    return Investment.objects.published().prefetch_related(
        published("investor", Organization),
        published("sector", Sector),
        published("initiative", Initiative),
        published("agreement", Agreement),
    )


def investment_document(investment):
    amount = investment.amount_as_written
    text = [
        *texts(investment, "description"),
        *short_named(investment.investor),
        *country_names(investment.origin_country),
        *country_names(investment.destination_country),
        *texts(investment.sector, "name"),
        *texts(investment, "province"),
        investment.get_stage_display(),
        amount,
        *texts(investment, "period_label"),
        *short_named(investment.initiative),
        *texts(investment.agreement, "title"),
        *texts(investment, "uncertainty"),
    ]
    period = investment.period_label or ("period not stated" if amount else "")
    return Document(
        title=investment.title,
        url=investment.get_absolute_url(),
        names=texts(investment, "title"),
        text=text,
        meta=", ".join(part for part in (route(investment), amount, period) if part),
        summary=investment.description,
        date=investment.period_start or investment.period_end,
    )


def figure_rows():
    return InvestmentFigure.objects.published().prefetch_related(
        published("reported_by", Organization)
    )


def figure_document(figure):
    basis = figure.get_basis_display()
    period = figure.period_label or "period not stated"
    amount = figure.amount_as_written
    text = [
        *country_names(figure.origin_country),
        *country_names(figure.destination_country),
        *short_named(figure.reported_by),
        amount,
        *texts(figure, "note", "uncertainty"),
    ]
    if figure.project_count is not None:
        text.append(f"{figure.project_count} projects")
    if figure.share_percent is not None:
        text.append(f"{figure.share_percent.normalize():f}% of all foreign investment")
    if figure.rank is not None:
        text.append(f"rank {figure.rank}")
    return Document(
        title=f"{basis}, {route(figure)}, {period}",
        url=figure.get_absolute_url(),
        names=[f"{basis} {period}"],
        text=text,
        meta=", ".join(part for part in ("Reported figure", amount) if part),
        summary=figure.note,
        date=figure.period_end or figure.period_start,
    )


KINDS = [
    SearchKind(
        "figures",
        InvestmentFigure,
        figure_rows,
        figure_document,
        follows=("reported_by",),
        shown=("publication",),
        label="Reported figures",
        singular="Reported figure",
    ),
    SearchKind(
        "investments",
        Investment,
        investment_rows,
        investment_document,
        follows=("investor", "sector", "initiative", "agreement"),
        shown=("publication",),
        label="Investment projects",
        singular="Investment project",
    ),
]
