"""The cooperation areas an initiative serves are read through its area links (which carry
each link's basis), and an initiative's tie to an agreement must say how it is known."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0004_dated_status_and_unnamed_parties"),
        ("initiatives", "0004_existing_links_inferred"),
    ]

    operations = [
        migrations.RemoveField(model_name="initiative", name="areas"),
        migrations.AddField(
            model_name="initiative",
            name="areas",
            field=models.ManyToManyField(
                blank=True,
                help_text="The cooperation areas the initiative serves.",
                related_name="initiatives",
                through="initiatives.AreaLink",
                to="agreements.cooperationarea",
            ),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('agreement_basis__in', ['stated', 'inferred']), models.Q(('agreement__isnull', True), ('agreement_basis', '')), _connector='OR'), name='initiatives_initiative_agreement_basis_valid', violation_error_message='Say whether a source states the link.'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('agreement_basis', 'stated'), _negated=True), ('agreement_source__isnull', False), _connector='OR'), name='initiatives_initiative_agreement_stated_link_cites_source', violation_error_message='A link stated in a source needs that source: choose it.'),
        ),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('agreement_basis', 'inferred'), _negated=True), models.Q(('agreement_reason', ''), _negated=True), _connector='OR'), name='initiatives_initiative_agreement_inferred_link_gives_reason', violation_error_message="A link that is the editors' reading needs a one-line reason."),
        ),
    ]
