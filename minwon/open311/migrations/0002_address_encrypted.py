"""Issue 13 item 2: Open311's address_string is kept only encrypted.

Existing rows: the clear address is encrypted into `address_encrypted`; for a report (제보) it
is the place of the problem, so the complaint gets it as its place when it has none (the public
feed shows only that place, coarsened). Then the clear column is dropped.
"""

from django.db import migrations, models


def encrypt_addresses(apps, schema_editor):
    from minwon.core import crypto

    Open311Request = apps.get_model("open311", "Open311Request")
    Complaint = apps.get_model("complaints", "Complaint")
    for row in Open311Request.objects.exclude(address_string="").select_related("service"):
        row.address_encrypted = crypto.encrypt(row.address_string)
        row.save(update_fields=["address_encrypted"])
        if row.service.complaint_kind == "tip":
            Complaint.objects.filter(pk=row.complaint_id, location_text="").update(
                location_text=row.address_string[:200]
            )


def decrypt_addresses(apps, schema_editor):
    from minwon.core import crypto

    Open311Request = apps.get_model("open311", "Open311Request")
    for row in Open311Request.objects.exclude(address_encrypted=""):
        row.address_string = crypto.decrypt(row.address_encrypted)[:300]
        row.save(update_fields=["address_string"])


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0009_moved_dates"),
        ("open311", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="open311request",
            name="address_encrypted",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(encrypt_addresses, decrypt_addresses),
        migrations.RemoveField(model_name="open311request", name="address_string"),
    ]
