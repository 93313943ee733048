"""A large, realistic, reproducible synthetic record for benchmarks (`manage.py synthesize`).

Realistic: investments are skewed as promoted projects are — most come from a few origin
countries, a few sectors and the Eastern Seaboard provinces; a long tail of companies where a
few investors file many projects; more projects in recent years; amounts spread over four
orders of magnitude (log-normal). Reported figures are the yearly totals of the synthetic
projects themselves, so the two views of the record agree. Reproducible: every value comes
from one `random.Random(seed)`.

Fast: the investments, their source links and their search entries are written as
precomputed rows, a batch at a time inside one transaction (COPY on PostgreSQL, `executemany`
on SQLite); nothing is read back row by row. The small tables (organizations, sectors, agreements, sources) go through the
ORM's bulk_create.
"""

import math
import random
from collections import Counter
from datetime import date

from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from partnership.agreements.models import Agreement, AgreementKind, CooperationArea
from partnership.core.currencies import AmountUnit
from partnership.core.models import Publication, Source, SourceKind
from partnership.initiatives.models import Initiative
from partnership.investments.models import Investment, InvestmentFigure, Stage
from partnership.organizations.models import Organization, OrganizationKind
from partnership.search.indexing import add_new_words as add_words
from partnership.sectors.models import Sector

from .synthetic_index import EntryWriter, write_rows

# (code, weight): Japan leads, as it does in the BOI's statistics; a long tail after it.
ORIGINS = [
    ("JP", 38), ("CN", 16), ("SG", 9), ("US", 7), ("TW", 6), ("KR", 5), ("HK", 4),
    ("DE", 3), ("NL", 2), ("FR", 2), ("GB", 2), ("CH", 1.5), ("MY", 1.5), ("IN", 1),
    ("AU", 1), ("VN", 0.5), ("ID", 0.5),
]  # fmt: skip
PROVINCES = [
    ("Chonburi", 24), ("Rayong", 18), ("Chachoengsao", 9), ("Ayutthaya", 8),
    ("Pathum Thani", 6), ("Bangkok", 6), ("Samut Prakan", 6), ("Prachinburi", 4),
    ("Lamphun", 3), ("Nakhon Ratchasima", 3), ("Saraburi", 3), ("Songkhla", 2),
    ("Khon Kaen", 2), ("Chiang Mai", 2), ("Lopburi", 1), ("Ratchaburi", 1),
    ("Phuket", 1), ("Surat Thani", 1),
]  # fmt: skip
# Broad sectors and their industries, the first ones most often promoted.
SECTORS = {
    "Automotive": ["Automotive parts", "Electric vehicles", "EV batteries", "Tyres"],
    "Electronics": ["Printed circuit boards", "Semiconductors", "Hard disk drives"],
    "Petrochemicals": ["PET resin", "Specialty chemicals", "Biochemicals"],
    "Agro-industry": ["Food processing", "Animal feed", "Sugar and bioethanol"],
    "Digital": ["Data centres", "Software", "Cloud services"],
    "Machinery": ["Industrial robots", "Metal working", "Moulds and dies"],
    "Medical": ["Medical devices", "Pharmaceuticals"],
    "Textiles": ["Technical textiles", "Garments"],
}
STAGES = [
    (Stage.APPLIED, 34),
    (Stage.APPROVED, 30),
    (Stage.CERTIFIED, 18),
    (Stage.OPERATING, 12),
    (Stage.ANNOUNCED, 6),
]
FIRST_YEAR, LAST_YEAR = 1990, 2025
COMPANIES = 5_000  # the most; one per 50 projects below that
WORDS = "Siam Pacific Eastern Asia Golden Nippon Chao Phraya Delta Summit Lotus Crown Orient"
SUFFIXES = ["(Thailand) Co., Ltd.", "Manufacturing Co., Ltd.", "Industries Co., Ltd.", "PCL"]
HALVES = [(1, 6, 30, "H1"), (7, 12, 31, "H2")]


def weighted(pairs, rng):
    """A function drawing `k` values from (value, weight) pairs with `rng`."""
    values = [value for value, _ in pairs]
    cumulative, total = [], 0
    for _, weight in pairs:
        total += weight
        cumulative.append(total)
    return lambda k: rng.choices(values, cum_weights=cumulative, k=k)


class Synthesizer:
    """Writes the synthetic record; `progress(phase, done, total)` hears how far it got."""

    def __init__(self, seed, progress=lambda *args: None):
        self.rng = random.Random(seed)
        self.progress = progress
        self.now = timezone.now()
        self.published = {"publication": Publication.PUBLISHED, "published_at": self.now}
        self.totals = Counter()  # (origin, year) -> [count, amount] for the reported figures
        self.amounts = Counter()
        self.made = {}  # model -> primary keys of the small tables' new records, to index

    def note(self, made):
        if made:
            self.made.setdefault(type(made[0]), []).extend(record.pk for record in made)
        return made

    # Small tables ---------------------------------------------------------------------------

    def sources(self):
        """One BOI release per month: each project cites the release of its period."""
        rows = [
            Source(
                title=f"Synthetic BOI promoted projects, {date(year, month, 1):%B %Y}",
                publisher="Partnership Tracker (synthetic)",
                kind=SourceKind.DATASET,
                published_on=date(year, month, 1),
                note="Generated for benchmarks; not real investment.",
            )
            for year in range(FIRST_YEAR, LAST_YEAR + 1)
            for month in (1, 7)
        ]
        made = self.note(Source.objects.bulk_create(rows, batch_size=500))
        return {(s.published_on.year, s.published_on.month): s.pk for s in made}

    def sectors(self):
        """The industries, most promoted first (those of an earlier run, if any)."""
        earlier = Sector.objects.filter(slug__startswith="synthetic-", parent__isnull=False)
        if earlier.exists():
            return list(earlier.order_by("pk"))
        broad = self.note(
            Sector.objects.bulk_create(
                Sector(
                    name=f"Synthetic {name.lower()}",
                    slug=f"synthetic-{slug(name)}",
                    **self.published,
                )
                for name in SECTORS
            )
        )
        industries = []
        for parent, names in zip(broad, SECTORS.values(), strict=True):
            industries += [
                Sector(
                    name=f"Synthetic {name.lower()}",
                    slug=f"synthetic-{slug(name)}",
                    parent=parent,
                    **self.published,
                )
                for name in names
            ]
        return self.note(Sector.objects.bulk_create(industries))

    def companies(self, count):
        rng, origin = self.rng, weighted(ORIGINS, self.rng)
        words = WORDS.split()
        return self.note(
            Organization.objects.bulk_create(
                (
                    Organization(
                        name=f"Synthetic {rng.choice(words)} {rng.choice(words)} {i:05d} "
                        f"{rng.choice(SUFFIXES)}",
                        slug=f"synthetic-company-{i:05d}",
                        country=country,
                        kind=OrganizationKind.COMPANY,
                        **self.published,
                    )
                    for i, country in enumerate(origin(count), start=1)
                ),
                batch_size=2_000,
            )
        )

    def agreements(self):
        """A dozen agreements, four cooperation areas each, and an initiative per area
        (those of an earlier run, if any)."""
        earlier = Agreement.objects.filter(slug__startswith="synthetic-agreement-")
        if earlier.exists():
            initiatives = Initiative.objects.filter(slug__startswith="synthetic-initiative-")
            return list(earlier.order_by("pk")), list(initiatives.order_by("pk"))
        kinds = list(AgreementKind.values)
        agreements = self.note(
            Agreement.objects.bulk_create(
                Agreement(
                    title=f"Synthetic memorandum on industrial cooperation no. {i}",
                    slug=f"synthetic-agreement-{i}",
                    kind=kinds[i % len(kinds)],
                    signed_on=date(FIRST_YEAR + 3 * i, 3, 1),
                    **self.published,
                )
                for i in range(1, 13)
            )
        )
        areas = self.note(
            CooperationArea.objects.bulk_create(
                CooperationArea(
                    agreement=agreement,
                    number=n,
                    title=f"Synthetic cooperation area {n} of agreement {agreement.pk}",
                    slug=f"synthetic-area-{agreement.pk}-{n}",
                )
                for agreement in agreements
                for n in range(1, 5)
            )
        )
        initiatives = self.note(
            Initiative.objects.bulk_create(
                Initiative(
                    title=f"Synthetic initiative {i}",
                    slug=f"synthetic-initiative-{i}",
                    **self.published,
                )
                for i in range(1, len(areas) + 1)
            )
        )
        return agreements, initiatives

    # The large table ------------------------------------------------------------------------

    def investments(self, count, batch=20_000):
        """Write `count` projects with one source link each; return the new primary keys'
        range (first, last)."""
        rng = self.rng
        sources = self.sources()
        industries = self.sectors()
        companies = self.companies(min(max(count // 50, 50), COMPANIES))
        agreements, initiatives = self.agreements()
        sector_names = {s.pk: s.name.removeprefix("Synthetic ").capitalize() for s in industries}
        company_pks = [c.pk for c in companies]
        # A few investors file many projects (Zipf over the companies).
        investor = weighted([(pk, 1 / (rank**1.1)) for rank, pk in enumerate(company_pks, 1)], rng)
        sector = weighted([(s.pk, 1 / rank) for rank, s in enumerate(industries, 1)], rng)
        origin = weighted(ORIGINS, rng)
        province = weighted(PROVINCES, rng)
        stage = weighted(STAGES, rng)
        # More projects each year: growth of about 6 % a year.
        year = weighted(
            [(y, 1.06 ** (y - FIRST_YEAR)) for y in range(FIRST_YEAR, LAST_YEAR + 1)], rng
        )
        columns, template = self.columns()
        position = {name: i for i, name in enumerate(columns)}
        periods = {
            (y, h): (
                prep_date(date(y, h[0], 1)),
                prep_date(date(y, h[1], h[2])),
                f"{h[3]} {y}",
                sources[(y, h[0])],
            )
            for y in range(FIRST_YEAR, LAST_YEAR + 1)
            for h in HALVES
        }
        table = Investment._meta.db_table
        through = Investment.sources.through._meta.db_table
        first = (Investment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        done = 0
        names = {None: (), ("initiative", None): (), ("agreement", None): ()}
        names.update({c.pk: (c.name,) for c in companies})
        names.update({("sector", s.pk): (s.name,) for s in industries})
        names.update({("initiative", i.pk): (i.title,) for i in initiatives})
        names.update({("agreement", a.pk): (a.title,) for a in agreements})
        with connection.cursor() as cursor:
            entries = EntryWriter(cursor)
            while done < count:
                size = min(batch, count - done)
                rows, links = [], []
                columns_drawn = zip(
                    investor(size), sector(size), origin(size), province(size), stage(size),
                    year(size), strict=True,
                )  # fmt: skip
                for i, (who, what, where_from, where, how_far, when) in enumerate(columns_drawn):
                    pk = first + done + i
                    half = HALVES[rng.random() < 0.5]
                    start, end, label, source = periods[(when, half)]
                    # Log-normal, median about 300 million baht, a few tens of billions.
                    millions = max(1, int(math.exp(rng.gauss(5.7, 1.4))))
                    row = template.copy()
                    row[position["id"]] = pk
                    row[position["title"]] = f"{sector_names[what]} plant {pk}"
                    row[position["slug"]] = f"synthetic-{pk}"
                    row[position["investor_id"]] = who if rng.random() < 0.8 else None
                    row[position["origin_country"]] = where_from
                    row[position["sector_id"]] = what
                    row[position["stage"]] = how_far
                    row[position["province"]] = where
                    row[position["amount"]] = millions * 1_000_000
                    row[position["period_start"]] = start
                    row[position["period_end"]] = end
                    row[position["period_label"]] = label
                    if rng.random() < 0.05:
                        row[position["initiative_id"]] = rng.choice(initiatives).pk
                    if rng.random() < 0.1:
                        row[position["agreement_id"]] = rng.choice(agreements).pk
                    rows.append(row)
                    links.append((pk, source))
                    entries.add(
                        pk,
                        row[position["title"]],
                        where_from,
                        where,
                        how_far,
                        millions * 1_000_000,
                        (start, label),
                        (
                            names[row[position["investor_id"]]],
                            names[("sector", what)],
                            names[("initiative", row[position["initiative_id"]])],
                            names[("agreement", row[position["agreement_id"]])],
                        ),
                    )
                    self.totals[(where_from, when)] += 1
                    self.amounts[(where_from, when)] += millions
                write_rows(cursor, table, columns, rows)
                write_rows(cursor, through, ["investment_id", "source_id"], links)
                entries.flush()
                done += size
                self.progress("investments", done, count)
            add_words(entries.words)
        reset_sequences(Investment, Investment.sources.through)
        return first, first + count - 1

    def columns(self):
        """The investment table's columns and a row of the values every project shares."""
        fields = Investment._meta.concrete_fields
        shared = {
            "publication": Publication.PUBLISHED,
            "published_at": self.now,
            "created_at": self.now,
            "updated_at": self.now,
            "destination_country": "TH",
            "currency": "THB",
            "amount_unit": AmountUnit.MILLION,
        }
        template = []
        for field in fields:
            value = shared.get(field.attname, field.get_default())
            template.append(field.get_db_prep_save(value, connection))
        return [field.column for field in fields], template

    def figures(self):
        """The BOI's yearly totals of applications by origin, as the projects add up."""
        rows = [
            InvestmentFigure(
                slug=f"synthetic-{origin.lower()}-th-applications-{year}",
                origin_country=origin,
                destination_country="TH",
                basis="applications",
                project_count=n,
                amount=self.amounts[(origin, year)] * 1_000_000,
                currency="THB",
                amount_unit=AmountUnit.MILLION,
                period_start=date(year, 1, 1),
                period_end=date(year, 12, 31),
                period_label=str(year),
                note="Synthetic benchmark figure: the total of the synthetic projects.",
                **self.published,
            )
            for (origin, year), n in sorted(self.totals.items())
        ]
        made = self.note(InvestmentFigure.objects.bulk_create(rows, batch_size=1_000))
        source = Source.objects.filter(publisher="Partnership Tracker (synthetic)").first()
        through = InvestmentFigure.sources.through
        through.objects.bulk_create(
            through(investmentfigure_id=f.pk, source_id=source.pk) for f in made
        )
        return made


def slug(name):
    return name.lower().replace(" ", "-").replace(",", "")


def prep_date(day):
    return connection.ops.adapt_datefield_value(day)


def reset_sequences(*models):
    """After rows written with their own primary keys, the next key the database gives."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
