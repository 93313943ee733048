"""Steps the apps' migrations share."""

from django.db import migrations
from django.db.models import F


def english_from_original(app_label, fields):
    """A migration step that copies each translated field's text into its English column
    (`title` into `title_en`), for the records and for their history, so the English written
    before the translations existed stays what every page shows. `fields`: model name (lower
    case) to the names of its translated fields."""

    def forwards(apps, schema_editor):
        for model_name, names in fields.items():
            for name in (model_name, f"historical{model_name}"):
                model = apps.get_model(app_label, name)
                model._base_manager.update(**{f"{field}_en": F(field) for field in names})

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)
