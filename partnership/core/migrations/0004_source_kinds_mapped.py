"""Sources' kinds become who published them: an official publication, a news report, a
distributor's copy or repost, or a dataset. Press releases, reports and web pages were each
published by the body concerned; statistics are datasets."""

from django.db import migrations, models

OLD_TO_NEW = {
    "official": "official",
    "press_release": "official",
    "report": "official",
    "web": "official",
    "statistics": "dataset",
    "news": "news",
}
NEW_TO_OLD = {"official": "official", "dataset": "statistics", "news": "news", "repost": "news"}


def remap(mapping):
    def run(apps, schema_editor):
        for name in ("Source", "HistoricalSource"):
            model = apps.get_model("core", name)
            for old, new in mapping.items():
                if old != new:
                    model.objects.filter(kind=old).update(kind=new)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_source_kinds_and_releases"),
    ]

    operations = [
        migrations.RunPython(remap(OLD_TO_NEW), remap(NEW_TO_OLD)),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["official", "news", "repost", "dataset"])),
                name="core_source_kind_valid",
                violation_error_message="Choose one of the listed kinds of source.",
            ),
        ),
    ]
