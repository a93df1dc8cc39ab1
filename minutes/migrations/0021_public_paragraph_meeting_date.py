"""PublicParagraph.meeting_date (the meeting's date, copied from it) and the index that serves
the public API's agendaItems in keyset order (config.api_params.Keyset)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("minutes", "0020_subscriptions"),
    ]

    operations = [
        migrations.AddField(
            model_name="publicparagraph",
            name="meeting_date",
            field=models.DateField(null=True, verbose_name="sammanträdesdatum"),
        ),
        migrations.RunSQL(
            "UPDATE minutes_publicparagraph p SET meeting_date = m.date "
            "FROM minutes_meeting m WHERE m.id = p.meeting_id",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="publicparagraph",
            name="meeting_date",
            field=models.DateField(verbose_name="sammanträdesdatum"),
        ),
        migrations.AddIndex(
            model_name="publicparagraph",
            index=models.Index(
                fields=["-meeting_date", "-meeting", "position", "paragraph"], name="public_paragraph_order"
            ),
        ),
    ]
