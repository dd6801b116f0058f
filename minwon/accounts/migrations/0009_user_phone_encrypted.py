"""Issue 13 item 12: a user's phone number is kept only encrypted, with a blind index.

Existing numbers are encrypted and indexed (as `accounts.models.phone_index` does), then the
clear column is dropped (reversible).
"""

from django.db import migrations, models


def encrypt_phones(apps, schema_editor):
    from minwon.accounts.models import phone_index
    from minwon.core import crypto

    User = apps.get_model("accounts", "User")
    for user in list(User.objects.exclude(phone="").only("pk", "phone")):
        phone = user.phone.strip()
        User.objects.filter(pk=user.pk).update(
            phone_encrypted=crypto.encrypt(phone) if phone else "",
            phone_index=phone_index(phone) if phone else "",
        )


def decrypt_phones(apps, schema_editor):
    from minwon.core import crypto

    User = apps.get_model("accounts", "User")
    for user in list(User.objects.exclude(phone_encrypted="")):
        User.objects.filter(pk=user.pk).update(phone=crypto.decrypt(user.phone_encrypted)[:20])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_identitycheck")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="phone_encrypted",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="user",
            name="phone_index",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.RunPython(encrypt_phones, decrypt_phones),
        migrations.RemoveField(model_name="user", name="phone"),
    ]
