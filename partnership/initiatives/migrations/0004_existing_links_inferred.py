"""Links recorded before their basis was kept become the editors' reading, with a reason that
says so: nothing in the record showed that a source states them. Editors then mark the links
a cited source does state."""

from django.db import migrations

REASON = (
    "Recorded before the record said how each link is known; not yet checked against a source."
)


def forwards(apps, schema_editor):
    Initiative = apps.get_model("initiatives", "Initiative")
    AreaLink = apps.get_model("initiatives", "AreaLink")
    Through = Initiative._meta.get_field("areas").remote_field.through
    links = [
        AreaLink(
            initiative_id=row.initiative_id,
            area_id=row.cooperationarea_id,
            basis="inferred",
            reason=REASON,
        )
        for row in Through.objects.order_by("pk").iterator()
    ]
    AreaLink.objects.bulk_create(links, batch_size=500)
    Initiative.objects.filter(agreement__isnull=False).update(
        agreement_basis="inferred", agreement_reason=REASON
    )


def backwards(apps, schema_editor):
    Initiative = apps.get_model("initiatives", "Initiative")
    AreaLink = apps.get_model("initiatives", "AreaLink")
    Through = Initiative._meta.get_field("areas").remote_field.through
    Through.objects.bulk_create(
        [
            Through(initiative_id=link.initiative_id, cooperationarea_id=link.area_id)
            for link in AreaLink.objects.order_by("pk").iterator()
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    AreaLink.objects.all().delete()
    Initiative.objects.update(agreement_basis="", agreement_reason="", agreement_source=None)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0003_link_basis_and_dated_status"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
