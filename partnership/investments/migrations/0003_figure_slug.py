import re

from django.db import migrations, models
from django.utils.text import slugify

HELP = (
    "Used in the address of the figure's page. Left empty, it is made from the route, what was "
    "counted and the period, e.g. jp-th-applications-2021-jan-sep."
)
LENGTH = 120


def base_slug(figure):
    # As investments.models.figure_slug when this migration was written.
    if figure.period_label:
        words = slugify(re.sub(r"[-–—/]", " ", figure.period_label)).split("-")
        years = [word for word in words if re.fullmatch(r"\d{4}", word)]
        period = "-".join(years + [word for word in words if word not in years])
    elif figure.period_start or figure.period_end:
        period = "-".join(str(day) for day in (figure.period_start, figure.period_end) if day)
    else:
        period = "undated"
    route = f"{figure.origin_country}-{figure.destination_country}-{figure.basis}"
    return slugify(f"{route}-{period}")[:LENGTH].strip("-")


def fill_slugs(apps, schema_editor):
    """Give every existing figure a slug, and its history the same one."""
    Figure = apps.get_model("investments", "InvestmentFigure")
    History = apps.get_model("investments", "HistoricalInvestmentFigure")
    taken = set()
    for figure in Figure.objects.order_by("pk"):
        base = slug = base_slug(figure)
        number = 1
        while slug in taken:
            number += 1
            slug = f"{base[: LENGTH - len(str(number)) - 1]}-{number}"
        taken.add(slug)
        Figure.objects.filter(pk=figure.pk).update(slug=slug)
        History.objects.filter(id=figure.pk).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [
        ("investments", "0002_editors_workflow"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalinvestmentfigure",
            name="slug",
            field=models.SlugField(blank=True, help_text=HELP, max_length=LENGTH),
        ),
        migrations.AddField(
            model_name="investmentfigure",
            name="slug",
            # No index yet: the unique constraint below brings its own (adding both names
            # the same "_like" index twice on PostgreSQL).
            field=models.SlugField(blank=True, db_index=False, help_text=HELP, max_length=LENGTH),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="investmentfigure",
            name="slug",
            field=models.SlugField(blank=True, help_text=HELP, max_length=LENGTH, unique=True),
        ),
    ]
