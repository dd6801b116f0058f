"""The complainant's name gets a blind index (officers search the work queue by name); the names
already stored are indexed from their encrypted copies."""

from typing import Any

from django.db import migrations, models


def index_names(apps: Any, schema_editor: Any) -> None:
    from minwon.complaints.services.intake import applicant_name_index
    from minwon.core import crypto

    Applicant = apps.get_model("complaints", "Applicant")
    for applicant in Applicant.objects.exclude(name_encrypted="").iterator():
        name = crypto.decrypt(applicant.name_encrypted)
        Applicant.objects.filter(pk=applicant.pk).update(name_index=applicant_name_index(name))


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0010_household_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="applicant",
            name="name_index",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.RunPython(index_names, migrations.RunPython.noop),
    ]
