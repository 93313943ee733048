import random
from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from partnership.core.currencies import AmountUnit
from partnership.core.models import Publication, Source, SourceKind
from partnership.investments.models import Investment, InvestmentFigure, Stage
from partnership.organizations.models import Organization, OrganizationKind
from partnership.sectors.models import Sector

ORIGINS = ["JP", "JP", "JP", "CN", "SG", "US", "KR", "TW", "HK", "DE"]
PROVINCES = ["Chonburi", "Rayong", "Chachoengsao", "Ayutthaya", "Bangkok", "Pathum Thani"]
PRODUCTS = [
    "automotive parts",
    "electric vehicle batteries",
    "printed circuit boards",
    "food processing",
    "PET resin",
    "medical devices",
    "data centre",
    "industrial robots",
    "technical textiles",
    "biochemicals",
]
MAX_INVESTMENTS = 1_000_000
BATCH = 5_000


class Command(BaseCommand):
    help = (
        "Add a large, realistic, reproducible synthetic data set for benchmarks and load tests: "
        "companies, sectors, published investment projects and reported figures. The same "
        "--seed always gives the same records. Synthetic records carry 'synthetic' in their slug."
    )

    def add_arguments(self, parser):
        parser.add_argument("--investments", type=int, default=10_000, help="Projects to add.")
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument("--dry-run", action="store_true", help="Say what would be added.")

    def handle(self, *args, investments, seed, dry_run, **options):
        if not 0 < investments <= MAX_INVESTMENTS:
            raise CommandError(f"--investments must be between 1 and {MAX_INVESTMENTS:,}.")
        if Investment.objects.filter(slug__startswith="synthetic-").exists():
            raise CommandError(
                "Synthetic data is already present; load it into a fresh database instead."
            )
        if dry_run:
            self.stdout.write(f"Would add {investments:,} synthetic investment projects.")
            return
        rng = random.Random(seed)
        now = timezone.now()
        published = {"publication": Publication.PUBLISHED, "published_at": now}
        with transaction.atomic():
            source = Source.objects.create(
                title="Synthetic benchmark data",
                publisher="Partnership Tracker",
                kind=SourceKind.STATISTICS,
                note="Generated for benchmarks; not real investment.",
            )
            sectors = self.sectors(published)
            companies = Organization.objects.bulk_create(
                Organization(
                    name=f"Synthetic Company {i:04d}",
                    slug=f"synthetic-company-{i:04d}",
                    country=rng.choice(ORIGINS),
                    kind=OrganizationKind.COMPANY,
                    **published,
                )
                for i in range(1, 501)
            )
            through = Investment.sources.through
            made = 0
            while made < investments:
                size = min(BATCH, investments - made)
                rows = [
                    self.investment(rng, made + i + 1, sectors, companies, published)
                    for i in range(size)
                ]
                created = Investment.objects.bulk_create(rows)
                through.objects.bulk_create(
                    through(investment_id=row.pk, source_id=source.pk) for row in created
                )
                made += size
            figures = InvestmentFigure.objects.bulk_create(self.figures(rng, published))
            InvestmentFigure.sources.through.objects.bulk_create(
                InvestmentFigure.sources.through(investmentfigure_id=f.pk, source_id=source.pk)
                for f in figures
            )
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner knows the tables just grew.
            with connection.cursor() as cursor:
                for model in (
                    Investment,
                    Investment.sources.through,
                    InvestmentFigure,
                    Organization,
                ):
                    cursor.execute(f'ANALYZE "{model._meta.db_table}"')
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {investments:,} investment projects, {len(companies)} companies and "
                f"{len(figures)} reported figures (seed {seed})."
            )
        )

    def sectors(self, published):
        parent, _ = Sector.objects.get_or_create(
            slug="synthetic-manufacturing",
            defaults={"name": "Synthetic manufacturing", **published},
        )
        return [
            Sector.objects.get_or_create(
                slug=f"synthetic-{slugify(product)}",
                defaults={"name": f"Synthetic {product}", "parent": parent, **published},
            )[0]
            for product in PRODUCTS
        ]

    def investment(self, rng, n, sectors, companies, published):
        year = rng.randint(2015, 2025)
        half = rng.choice([(1, 6, 30), (7, 12, 31)])
        sector = rng.choice(sectors)
        millions = rng.choice([rng.randint(50, 900), rng.randint(1000, 9000)])
        return Investment(
            title=f"{sector.name.removeprefix('Synthetic ').capitalize()} plant {n}",
            slug=f"synthetic-{n}",
            investor=rng.choice(companies) if rng.random() < 0.7 else None,
            origin_country=rng.choice(ORIGINS),
            destination_country="TH",
            sector=sector,
            amount=Decimal(millions) * 1_000_000,
            currency="THB",
            amount_unit=AmountUnit.MILLION,
            stage=rng.choice(Stage.values),
            period_start=date(year, half[0], 1),
            period_end=date(year, half[1], half[2]),
            period_label=f"{'H1' if half[0] == 1 else 'H2'} {year}",
            province=rng.choice(PROVINCES),
            **published,
        )

    def figures(self, rng, published):
        for origin in sorted(set(ORIGINS)):
            for year in range(2015, 2026):
                yield InvestmentFigure(
                    origin_country=origin,
                    destination_country="TH",
                    basis="applications",
                    project_count=rng.randint(20, 400),
                    amount=Decimal(rng.randint(5_000, 150_000)) * 1_000_000,
                    currency="THB",
                    amount_unit=AmountUnit.MILLION,
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    period_label=str(year),
                    note="Synthetic benchmark figure.",
                    **published,
                )
