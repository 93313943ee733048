"""Benchmark of a large spreadsheet import of investments, run as the admin runs it."""

import csv
import io
import random
import secrets
import time
from decimal import Decimal

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from partnership.core.admin.publishing import publish
from partnership.core.management.base import between
from partnership.core.models import Publication, Source, SourceKind
from partnership.core.spreadsheets.readers import MAX_ROWS
from partnership.investments.models import Investment, Stage
from partnership.investments.resources import INVESTMENT_COLUMNS
from partnership.organizations.models import Organization, OrganizationKind
from partnership.sectors.models import Sector

PROVINCES = ["Chonburi", "Rayong", "Chachoengsao", "Ayutthaya", "Bangkok", "Pathum Thani"]
PRODUCTS = ["battery modules", "wire harnesses", "PET resin", "printed circuit boards", "robots"]


class Command(BaseCommand):
    help = (
        "Time a spreadsheet import of investments as the admin runs it: build a realistic CSV "
        "file of --rows rows (new projects, some with blank slugs, and updates of existing "
        "ones), preview it, confirm it, then publish the imported projects with the admin's "
        "“Publish selected” action; print the time and the number of database queries of each "
        "step. Everything runs in one transaction that is rolled back: the database is left "
        "as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rows", type=between(1, MAX_ROWS), default=5_000, help="Rows in the file."
        )
        parser.add_argument(
            "--updates",
            type=between(0, 1, float),
            default=0.2,
            help="Share of the rows that update existing projects (0 to 1).",
        )
        parser.add_argument("--seed", type=int, default=2022)

    def handle(self, *args, rows, updates, seed, **options):
        rng = random.Random(seed)
        model_admin = admin.site.get_model_admin(Investment)
        with transaction.atomic():
            user = get_user_model().objects.create_superuser(
                f"benchimport-{seed}", "", None, first_name="Benchmark"
            )
            world = self.references(rng)
            existing = self.existing(rng, world, round(rows * updates))
            data = self.file(rng, world, existing, rows)
            self.stdout.write(f"File: {rows:,} rows, {len(data) / 1024:,.0f} KB.")

            name = f"benchimport-{secrets.token_hex(4)}.csv"
            request = self.request(
                user, {"import_file": SimpleUploadedFile(name, data), "resource": "0"}
            )
            preview, seconds, queries = measure(lambda: render(model_admin.import_action(request)))
            form = preview.context_data.get("confirm_form")
            if form is None:
                raise CommandError(f"The preview refused the file: {errors(preview)}")
            self.report("Preview", seconds, queries, rows)

            fields = ("import_file_name", "original_file_name", "format", "resource")
            request = self.request(user, {name: form.initial.get(name, "") for name in fields})
            _, seconds, queries = measure(lambda: model_admin.process_import(request))
            self.report("Confirm", seconds, queries, rows)
            for message in request._messages:
                self.stdout.write(f"  {message}")

            imported = Investment.objects.filter(import_batch__endswith=f" {name}")
            request = self.request(user, {})
            _, seconds, queries = measure(lambda: publish(model_admin, request, imported))
            self.report("Publish", seconds, queries, rows)
            for message in request._messages:
                self.stdout.write(f"  {message}"[:300])
            transaction.set_rollback(True)
        self.stdout.write("Rolled back: the database is as it was.")

    def report(self, step, seconds, queries, rows):
        self.stdout.write(
            f"{step:8} {seconds:6.2f} s  {queries:6,} queries  ({queries / rows:.2f} per row)"
        )

    def request(self, user, data):
        request = RequestFactory().post("/admin/investments/investment/import/", data)
        request.user = user
        request._messages = CookieStorage(request)
        return request

    def references(self, rng):
        """Investors, sectors and sources for the file to name, added in bulk."""
        now = timezone.now()
        published = {"publication": Publication.PUBLISHED, "published_at": now}
        investors = Organization.objects.bulk_create(
            Organization(
                name=f"Benchmark Company {n:03d}",
                slug=f"benchmark-company-{n:03d}",
                country="JP",
                kind=OrganizationKind.COMPANY,
                **published,
            )
            for n in range(300)
        )
        sectors = Sector.objects.bulk_create(
            Sector(name=f"Benchmark {product}", slug=f"benchmark-{n}", **published)
            for n, product in enumerate(PRODUCTS)
        )
        sources = Source.objects.bulk_create(
            Source(
                title=f"Benchmark statistics {n}",
                publisher="Board of Investment",
                url=f"https://example.org/benchmark-{n}",
                kind=SourceKind.DATASET,
            )
            for n in range(50)
        )
        return {"investors": investors, "sectors": sectors, "sources": sources}

    def existing(self, rng, world, count):
        """Projects already in the database, which part of the file updates."""
        records = Investment.objects.bulk_create(
            Investment(
                title=f"Existing benchmark plant {n}",
                slug=f"benchmark-existing-{n}",
                origin_country="JP",
                destination_country="TH",
                amount=Decimal(rng.randint(50, 9000)) * 1_000_000,
                currency="THB",
            )
            for n in range(count)
        )
        through = Investment.sources.through
        through.objects.bulk_create(
            through(investment_id=record.pk, source_id=rng.choice(world["sources"]).pk)
            for record in records
        )
        return records

    def file(self, rng, world, existing, rows):
        header = [c.name for c in INVESTMENT_COLUMNS if not c.readonly]
        out = io.StringIO(newline="")
        writer = csv.DictWriter(out, header)
        writer.writeheader()
        for n in range(rows):
            if n < len(existing):
                slug = existing[n].slug
            else:
                slug = "" if n % 10 == 0 else f"benchmark-new-{n}"
            product = rng.choice(PRODUCTS)
            year = rng.randint(2015, 2025)
            sources = rng.sample(world["sources"], rng.choice([1, 1, 2]))
            writer.writerow(
                {
                    "slug": slug,
                    "title": f"{product.capitalize()} plant {n}",
                    "investor": rng.choice(world["investors"]).slug if rng.random() < 0.8 else "",
                    "origin_country": "JP",
                    "destination_country": "TH",
                    "sector": rng.choice(world["sectors"]).slug,
                    "stage": rng.choice(Stage.values),
                    "amount": rng.randint(50, 9000) * 1_000_000,
                    "currency": "THB",
                    "amount_unit": "million",
                    "period_start": f"{year}-01-01",
                    "period_end": f"{year}-06-30",
                    "period_label": f"H1 {year}",
                    "province": rng.choice(PROVINCES),
                    "description": f"Makes {product} for export and the domestic market.",
                    "uncertainty": "",
                    "sources": "; ".join(str(source.pk) for source in sources),
                }
            )
        return ("\ufeff" + out.getvalue()).encode()


def measure(step):
    """`step()`, the seconds it took and the number of database queries it ran."""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - started
    return result, seconds, len(queries)


def render(response):
    if hasattr(response, "render"):
        response.render()
    return response


def errors(response):
    context = getattr(response, "context_data", None) or {}
    result = context.get("result")
    form = context.get("form")
    found = [str(form.errors)] if form is not None and form.errors else []
    if result is not None:
        found += [str(error.error) for error in result.base_errors]
        found += [f"row {row.number}: {row.error_dict}" for row in result.invalid_rows[:5]]
    return "; ".join(found)[:2000]
