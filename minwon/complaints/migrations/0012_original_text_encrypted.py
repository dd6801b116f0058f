"""Issue 13 item 12: a 주민등록번호 typed into a complaint's title or content is masked.

New column for the original text (encrypted); existing complaints whose title or content holds
one are masked now, the original kept encrypted the same way intake does it.
"""

import json

from django.db import migrations, models


def mask_existing(apps, schema_editor):
    from minwon.core import crypto
    from minwon.core.domain import mask_rrns_in_text

    Complaint = apps.get_model("complaints", "Complaint")
    six_digits = r"[0-9]{6}"
    candidates = Complaint.objects.filter(
        models.Q(title__regex=six_digits) | models.Q(body__regex=six_digits)
    ).only("pk", "title", "body")
    for complaint in list(candidates):
        title, in_title = mask_rrns_in_text(complaint.title)
        body, in_body = mask_rrns_in_text(complaint.body)
        if in_title + in_body:
            original = json.dumps(
                {"title": complaint.title, "body": complaint.body}, ensure_ascii=False
            )
            Complaint.objects.filter(pk=complaint.pk).update(
                title=title[: max(200, len(complaint.title))],
                body=body,
                original_text_encrypted=crypto.encrypt(original),
            )


def unmask(apps, schema_editor):
    from minwon.core import crypto

    Complaint = apps.get_model("complaints", "Complaint")
    for complaint in list(Complaint.objects.exclude(original_text_encrypted="")):
        original = json.loads(crypto.decrypt(complaint.original_text_encrypted))
        Complaint.objects.filter(pk=complaint.pk).update(
            title=original["title"], body=original["body"]
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0011_applicant_name_index")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="original_text_encrypted",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(mask_existing, unmask),
    ]
