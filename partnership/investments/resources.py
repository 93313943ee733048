"""The spreadsheet imports of investments and reported figures: their columns, each declared
once (see `partnership.core.spreadsheets` for what every import shares), the slugs made for
rows that leave them blank, and investors added as drafts when a file asks for it."""

import re

from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from partnership.core.models import Publication
from partnership.core.spreadsheets.bulk import next_free_slug, taken_slugs
from partnership.core.spreadsheets.cells import as_text, unquote
from partnership.core.spreadsheets.columns import (
    ImportColumn,
    choices_format,
    country_column,
    date_column,
    money_columns,
    publication_column,
    sentences,
    sources_column,
    text_column,
)
from partnership.core.spreadsheets.readers import source_rows
from partnership.core.spreadsheets.resources import SpreadsheetResource
from partnership.core.spreadsheets.widgets import (
    ChoiceWidget,
    PercentWidget,
    SlugForeignKeyWidget,
    SlugWidget,
    TextWidget,
    WholeNumberWidget,
    YesNoWidget,
)
from partnership.investments.models import (
    FIGURE_SLUG_LENGTH,
    Basis,
    Investment,
    InvestmentFigure,
    Stage,
    figure_slug,
)
from partnership.organizations.models import Organization, OrganizationKind
from partnership.sectors.models import Sector

UNCERTAINTY = _("What the sources leave unsettled, shown as a caution.")
PERIOD_LABEL = _("The period as the source names it.")
KEY = _("Part of the key.")

SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
INVESTOR_HINT = _(
    "or let the import add it as a draft organization: write yes in create_investor and the "
    "investor's name in investor_name."
)
MAX_NOTED_ROWS = 5

INVESTMENT_COLUMNS = [
    ImportColumn(
        "slug",
        "key",
        _(
            "The record's stable key and web address: lower-case letters, digits and hyphens. A "
            "row whose slug exists updates that investment; a new slug adds one. Left empty, the "
            "row adds an investment whose slug is made from its title (with -2, -3 … when taken): "
            "export afterwards to correct it by its slug, as a row without a slug always adds one."
        ),
        "example-ev-battery-plant-2024",
        SlugWidget(),
    ),
    text_column(
        "title",
        "Example: battery modules for electric vehicles",
        max_length=300,
        extra=_("What the project makes or does."),
        required="yes",
    ),
    ImportColumn(
        "investor",
        "no",
        _(
            "The investing organization's slug (see Organizations). Empty when the source does "
            "not name the company. An investor the site does not have yet: see create_investor."
        ),
        "denso",
        SlugForeignKeyWidget(Organization, hint=INVESTOR_HINT),
    ),
    ImportColumn(
        "investor_name",
        "no",
        _(
            "The investor's name, up to 200 characters. Read only when the import adds the "
            "investor (create_investor yes); exports write the investor's name here."
        ),
        "Denso Corporation",
        TextWidget(),
        stored=False,
    ),
    ImportColumn(
        "create_investor",
        "no",
        _(
            "yes to add the investor when no organization has the slug in investor: a draft "
            "organization (a company of the row's origin country) named investor_name, with the "
            "slug in investor, or one made from the name when investor is empty. Rows naming the "
            "same new investor share it. Empty or no: an unknown investor is refused."
        ),
        "no",
        YesNoWidget(),
        stored=False,
    ),
    country_column("origin_country", "JP"),
    country_column("destination_country", "TH"),
    ImportColumn(
        "sector",
        "no",
        _("The sector's slug (see Sectors)."),
        "automotive-parts",
        SlugForeignKeyWidget(Sector),
    ),
    ImportColumn(
        "stage",
        "yes",
        format_lazy(_("One of: {}."), choices_format(Stage)),
        "applied",
        ChoiceWidget(Stage),
    ),
    *money_columns("3062000000"),
    date_column("period_start", "2024-01-01"),
    date_column("period_end", "2024-06-30"),
    text_column("period_label", "Jan–Jun 2024", max_length=60, extra=PERIOD_LABEL),
    text_column("province", "Chonburi", max_length=100),
    text_column("description", ""),
    text_column("uncertainty", "", extra=UNCERTAINTY),
    sources_column(),
    publication_column(),
]

FIGURE_COLUMNS = [
    country_column("origin_country", "JP", note=KEY),
    country_column("destination_country", "TH", note=KEY),
    ImportColumn(
        "basis",
        "yes",
        sentences(format_lazy(_("What was counted, one of: {}."), choices_format(Basis)), KEY),
        "applications",
        ChoiceWidget(Basis),
    ),
    ImportColumn(
        "reported_by",
        "key",
        _(
            "The reporting body's organization slug (see Organizations). Part of the key; empty "
            "if the source names no body."
        ),
        "thailand-board-of-investment",
        SlugForeignKeyWidget(Organization),
    ),
    date_column("period_start", "2023-01-01", required="key", note=KEY),
    date_column("period_end", "2023-12-31", required="key", note=KEY),
    ImportColumn(
        "project_count",
        "no",
        _("Number of projects: a whole number, 0 or more."),
        "120",
        WholeNumberWidget(),
    ),
    *money_columns("50000000000"),
    ImportColumn(
        "share_percent",
        "no",
        _("Share of all foreign investment in per cent, 0 to 100, e.g. 19 or 15.3."),
        "19",
        PercentWidget(),
    ),
    ImportColumn(
        "rank",
        "no",
        _("Rank among origin countries: a whole number, 1 or more."),
        "1",
        WholeNumberWidget(minimum=1),
    ),
    text_column("period_label", "2023", max_length=60, extra=PERIOD_LABEL),
    text_column("note", "Example row: replace with the reported figure.", max_length=300),
    text_column("note_th", "", max_length=300, extra=_("The note in Thai; may be left empty.")),
    text_column("note_ja", "", max_length=300, extra=_("The note in Japanese; may be left empty.")),
    text_column("uncertainty", "", extra=UNCERTAINTY),
    sources_column(),
    publication_column(),
]


class InvestmentResource(SpreadsheetResource):
    columns = INVESTMENT_COLUMNS
    preview_columns = ["slug", "title", "investor", "amount", "stage", "period_label", "sources"]

    class Meta:
        model = Investment
        name = "Investments"
        import_id_fields = ["slug"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.new_investors = {}
        self.taken = set()
        self.existing_slugs = set()
        self.made_slugs = []

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset).select_related("investor", "sector")

    def dehydrate_investor_name(self, investment):
        return investment.investor.name if investment.investor_id else ""

    # Before the rows: the slugs that blank cells could clash with, and the new investors.

    def prefetch(self, dataset):
        super().prefetch(dataset)
        rows = dataset.dict
        blank = [row for row in rows if not as_text(row.get("slug"))]
        self.existing_slugs = taken_slugs(Investment, {self.base_slug(row) for row in blank})
        given = {as_text(row.get("slug")).lower() for row in rows} - {""}
        self.taken = self.existing_slugs | given
        self.plan_investors(rows)

    def base_slug(self, row):
        limit = Investment._meta.get_field("slug").max_length - 6
        title = unquote(as_text(row.get("title")))
        return slugify(title)[:limit].strip("-") or "investment"

    def wants_investor_created(self, row):
        if "create_investor" not in row:
            return False
        try:
            return self.fields["create_investor"].clean(row)
        except ValueError:
            return False

    def new_investor_slug(self, row):
        """The slug a row gives the investor it asks to add: its investor cell, or one made
        from investor_name."""
        name = unquote(as_text(row.get("investor_name")))
        limit = Organization._meta.get_field("slug").max_length
        return as_text(row.get("investor")).lower() or slugify(name)[:limit].strip("-")

    def plan_investors(self, rows):
        """The draft organizations the file asks to add (create_investor yes, an investor
        no organization has), made now and saved before the first batch that names them."""
        if "create_investor" not in self.file_columns:
            return
        widget = self.fields["investor"].widget
        wanted = [
            (self.new_investor_slug(row), unquote(as_text(row.get("investor_name"))), row)
            for row in rows
            if self.wants_investor_created(row)
        ]
        widget.prefetch([slug for slug, _, _ in wanted] + list(widget.found))
        for slug, name, row in wanted:
            if slug in widget.found or not name or not SLUG.fullmatch(slug) or len(name) > 200:
                continue
            try:
                country = self.fields["origin_country"].clean(row)
            except (KeyError, ValueError):
                country = ""
            investor = Organization(
                name=name,
                slug=slug,
                kind=OrganizationKind.COMPANY,
                country=country,
                publication=Publication.DRAFT,
            )
            widget.found[slug] = self.new_investors[slug] = investor
        if self.new_investors:
            names = ", ".join(f"{o.name} ({o.slug})" for o in self.new_investors.values())
            self.notes.append(
                gettext(
                    "%(count)s investor(s) will be added as draft organizations: %(names)s. "
                    "Complete and publish them under Organizations."
                )
                % {"count": len(self.new_investors), "names": names}
            )

    def save_new_references(self):
        pending = [o for o in self.new_investors.values() if o.pk is None]
        if pending:
            bulk_create_with_history(
                pending,
                Organization,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )

    # Each row

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        if self.wants_investor_created(row) and not as_text(row.get("investor")):
            row["investor"] = self.new_investor_slug(row)

    def row_problems(self, instance, row, errors, **kwargs):
        """The investor the row asks to add, and a slug for a row that leaves it blank."""
        if not instance.slug and "slug" not in errors:
            instance.slug = self.make_slug(row, kwargs.get("row_number"))
        return self.investor_problems(row)

    def investor_problems(self, row):
        if not self.wants_investor_created(row):
            return {}
        name = unquote(as_text(row.get("investor_name")))
        slug = as_text(row.get("investor")).lower()
        if slug in self.fields["investor"].widget.found:
            return {}
        if not name:
            return {"investor_name": [gettext("Give the name of the investor to add.")]}
        if len(name) > 200:
            return {
                "investor_name": [gettext("An organization's name has at most 200 characters.")]
            }
        if not SLUG.fullmatch(slug):
            return {
                "investor": [
                    gettext(
                        "“%(slug)s” cannot be the new investor's slug: use lower-case letters, "
                        "digits and hyphens, or leave the cell empty to make one from the name."
                    )
                    % {"slug": slug}
                ]
            }
        return {}

    def make_slug(self, row, number):
        base = self.base_slug(row)
        slug = next_free_slug(base, self.taken, Investment._meta.get_field("slug").max_length)
        self.made_slugs.append((number, slug, base in self.existing_slugs))
        return slug

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        if not self.made_slugs:
            return
        lines = source_rows(dataset)
        self.notes.append(
            gettext(
                "%(count)s row(s) have no slug: each adds a new investment with a slug made "
                "from its title. Importing this file again would add them again; export the "
                "list afterwards to correct them by their slugs."
            )
            % {"count": len(self.made_slugs)}
        )
        clashes = [(lines[n - 1], slug) for n, slug, clash in self.made_slugs if clash]
        if clashes:
            shown = ", ".join(
                gettext("row %(number)s (%(slug)s)") % {"number": n, "slug": slug}
                for n, slug in clashes[:MAX_NOTED_ROWS]
            )
            more = len(clashes) - MAX_NOTED_ROWS
            if more > 0:
                shown = gettext("%(rows)s and %(more)s more") % {"rows": shown, "more": more}
            self.notes.append(
                gettext(
                    "An investment with the same title already exists for %(count)s of them: "
                    "%(rows)s. To update an existing investment instead, put its slug in the row."
                )
                % {"count": len(clashes), "rows": shown}
            )


class InvestmentFigureResource(SpreadsheetResource):
    columns = FIGURE_COLUMNS
    preview_columns = [
        "origin_country",
        "destination_country",
        "basis",
        "period_label",
        "amount",
        "project_count",
        "sources",
    ]

    class Meta:
        model = InvestmentFigure
        name = "Reported investment figures"
        import_id_fields = [
            "origin_country",
            "destination_country",
            "basis",
            "reported_by",
            "period_start",
            "period_end",
        ]

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset).select_related("reported_by")

    def before_bulk_create(self, instances):
        """The address of each new figure's page, made as the figure's own save would."""
        blank = [figure for figure in instances if not figure.slug]
        bases = [figure_slug(figure) for figure in blank]
        taken = taken_slugs(InvestmentFigure, bases)
        for figure, base in zip(blank, bases, strict=True):
            figure.slug = next_free_slug(base, taken, FIGURE_SLUG_LENGTH)
