"""Issue 13 item 12: a notification's e-mail address and phone number are kept only encrypted.

Existing rows are encrypted into the new columns, then the clear ones are dropped (reversible).
"""

from django.db import migrations, models


def encrypt_contacts(apps, schema_editor):
    from minwon.core import crypto

    Notification = apps.get_model("notifications", "Notification")
    rows = Notification.objects.exclude(email="", phone="").only("pk", "email", "phone")
    for row in list(rows):
        Notification.objects.filter(pk=row.pk).update(
            email_encrypted=crypto.encrypt(row.email) if row.email else "",
            phone_encrypted=crypto.encrypt(row.phone) if row.phone else "",
        )


def decrypt_contacts(apps, schema_editor):
    from minwon.core import crypto

    Notification = apps.get_model("notifications", "Notification")
    rows = Notification.objects.exclude(email_encrypted="", phone_encrypted="")
    for row in list(rows):
        Notification.objects.filter(pk=row.pk).update(
            email=crypto.decrypt(row.email_encrypted)[:254] if row.email_encrypted else "",
            phone=crypto.decrypt(row.phone_encrypted)[:20] if row.phone_encrypted else "",
        )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0006_account_code_events")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="email_encrypted",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="notification",
            name="phone_encrypted",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(encrypt_contacts, decrypt_contacts),
        migrations.RemoveField(model_name="notification", name="email"),
        migrations.RemoveField(model_name="notification", name="phone"),
    ]
