"""On PostgreSQL, the tallies' triggers (migrations 0013 and 0017) a statement at a time:
each reads the rows its statement wrote (its transition tables) and moves the tallies with a
few grouped statements, where those a row at a time took a few statements for each project
(1.7 ms a project: 33 s for 20,000 written at once, an import of thousands of rows or a bulk
publication). SQLite keeps its triggers a row at a time, which cost it little.
"""

from django.db import migrations

from ._tally_sql import BY_AMOUNT, BY_PERIOD


class Migration(migrations.Migration):

    dependencies = [
        ("investments", "0017_tallies_by_amount"),
    ]

    operations = [
        migrations.RunPython(BY_PERIOD.by_statement, BY_PERIOD.by_row),
        migrations.RunPython(BY_AMOUNT.by_statement, BY_AMOUNT.by_row),
    ]
