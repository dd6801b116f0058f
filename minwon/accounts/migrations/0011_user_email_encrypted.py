"""Issue 13 item 12: a user's e-mail address is kept only encrypted, with a blind index, and a
citizen's `username` is no longer their e-mail address or mobile number.

Forwards: every e-mail address is encrypted and indexed (as `User.email` does); a citizen whose
user name is an e-mail address or a mobile number (everyone who signed up with a code) keeps it
as their e-mail or phone (encrypted, indexed) when those were empty and gets a random user name
(`accounts.models.citizen_username`): they log in with the address as before. Then the clear
`email` column is dropped.

Backwards (reversible): the clear column comes back with the decrypted addresses, and a citizen
with a random user name gets their address back as user name: the e-mail address when they have
one, else the mobile number (digits only, as sign-up made it). A citizen who had chosen their
phone number as user name while also having an e-mail address gets the e-mail address.
"""

import re

from django.db import migrations, models


def _encrypt_emails_and_move_usernames(apps, schema_editor):
    from minwon.accounts.domain import VerificationChannel, verification_address
    from minwon.accounts.models import citizen_username, email_index, phone_index
    from minwon.core import crypto

    User = apps.get_model("accounts", "User")
    for user in list(User.objects.all().only("pk", "kind", "username", "email", "phone_index")):
        changes = {}
        email = (user.email or "").strip()
        if email:
            changes["email_encrypted"] = crypto.encrypt(email)
            changes["email_index"] = email_index(email)
        parsed = verification_address(user.username) if user.kind == "citizen" else None
        if parsed is not None:
            channel, address = parsed
            if channel is VerificationChannel.EMAIL and not email:
                changes["email_encrypted"] = crypto.encrypt(address)
                changes["email_index"] = email_index(address)
            if channel is VerificationChannel.PHONE and not user.phone_index:
                changes["phone_encrypted"] = crypto.encrypt(address)
                changes["phone_index"] = phone_index(address)
            changes["username"] = citizen_username()
        if changes:
            User.objects.filter(pk=user.pk).update(**changes)


_RANDOM_NAME = re.compile(r"c-[0-9a-f]{16}")


def _decrypt_emails_and_restore_usernames(apps, schema_editor):
    from minwon.accounts.domain import mobile_number
    from minwon.core import crypto

    User = apps.get_model("accounts", "User")
    users = User.objects.exclude(email_encrypted="") | User.objects.filter(kind="citizen")
    for user in list(users.distinct()):
        email = crypto.decrypt(user.email_encrypted) if user.email_encrypted else ""
        changes = {"email": email[:254]}
        if user.kind == "citizen" and _RANDOM_NAME.fullmatch(user.username):
            phone = crypto.decrypt(user.phone_encrypted) if user.phone_encrypted else ""
            restored = email.lower() or mobile_number(phone) or phone
            if restored and not User.objects.filter(username=restored).exists():
                changes["username"] = restored[:150]
        User.objects.filter(pk=user.pk).update(**changes)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0010_security_desk_role")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_encrypted",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="user",
            name="email_index",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64),
        ),
        migrations.RunPython(
            _encrypt_emails_and_move_usernames, _decrypt_emails_and_restore_usernames
        ),
        migrations.RemoveField(model_name="user", name="email"),
    ]
