"""Issue 13 item 12: a 주민등록번호 in an Open311 client's update description stored before
intake masked it there (open311/0003) is masked now, the description as sent kept only
encrypted in `description_original_encrypted`, as `open311_update_receive` does.

Backwards it changes nothing (`RunPython.noop`): the descriptions stay masked, the originals
encrypted.
"""

from django.db import migrations


def remask(apps, schema_editor):
    from minwon.core import crypto
    from minwon.core.domain import mask_rrns_in_text

    Update = apps.get_model("open311", "Open311InboundUpdate")
    rows = Update.objects.filter(description__regex=r"[0-9]{6}", description_original_encrypted="")
    for update in rows.only("pk", "description"):
        masked, found = mask_rrns_in_text(update.description)
        if found:
            Update.objects.filter(pk=update.pk).update(
                description=masked,
                description_original_encrypted=crypto.encrypt(update.description),
            )


class Migration(migrations.Migration):
    dependencies = [("open311", "0003_update_description_original")]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]
