"""Issue 13 item 12: a 주민등록번호 typed into free text stored before it was masked there.

Intake now masks the number in the words a history row keeps (a supplement's note, objection
grounds, a withdrawal, reopening or return reason, a rating comment: `complaints.services.common
.masked_text`) and keeps the words as sent only encrypted beside them (`<key>_original_encrypted`).
This migration does the same to rows written before: every such text in the history, the
complaint's `objection_grounds` and a rating's `comment` (its original goes into the rating's
history row). A text already masked has no number left, so running it again changes nothing.

Backwards it changes nothing (`RunPython.noop`, clearly so): the masked texts stay masked and
the originals stay in the history, encrypted; nothing is lost either way.
"""

from django.db import migrations

TEXT_KEYS = ("note", "grounds", "reason", "comment")
SIX_DIGITS = r"[0-9]{6}"


def _masked(data, key, mask, encrypt):
    """Mask data[key] in place; the original under `<key>_original_encrypted`. Changed?"""
    text = data.get(key)
    if not isinstance(text, str):
        return False
    masked, found = mask(text)
    if not found:
        return False
    data[key] = masked
    data.setdefault(f"{key}_original_encrypted", encrypt(text))
    return True


def remask(apps, schema_editor):
    import re

    from minwon.core import crypto
    from minwon.core.domain import mask_rrns_in_text

    Complaint = apps.get_model("complaints", "Complaint")
    ComplaintEvent = apps.get_model("complaints", "ComplaintEvent")
    SatisfactionRating = apps.get_model("complaints", "SatisfactionRating")
    six = re.compile(SIX_DIGITS)

    for event in ComplaintEvent.objects.only("pk", "data").iterator(chunk_size=500):
        data = event.data if isinstance(event.data, dict) else None
        if not data or not any(
            isinstance(data.get(k), str) and six.search(data[k]) for k in TEXT_KEYS
        ):
            continue
        changed = [_masked(data, key, mask_rrns_in_text, crypto.encrypt) for key in TEXT_KEYS]
        if any(changed):
            ComplaintEvent.objects.filter(pk=event.pk).update(data=data)

    for complaint in Complaint.objects.filter(objection_grounds__regex=SIX_DIGITS).only(
        "pk", "objection_grounds"
    ):
        masked, found = mask_rrns_in_text(complaint.objection_grounds)
        if found:
            # The original is in the objection's history row (masked above, kept encrypted).
            Complaint.objects.filter(pk=complaint.pk).update(objection_grounds=masked)

    for rating in SatisfactionRating.objects.filter(comment__regex=SIX_DIGITS):
        masked, found = mask_rrns_in_text(rating.comment)
        if not found:
            continue
        event = (
            ComplaintEvent.objects.filter(
                complaint_id=rating.complaint_id,
                action="rate",
                data__answer_number=rating.answer_number,
            )
            .order_by("pk")
            .first()
        )
        if event is not None:
            data = dict(event.data)
            data.setdefault("comment_original_encrypted", crypto.encrypt(rating.comment))
            ComplaintEvent.objects.filter(pk=event.pk).update(data=data)
        SatisfactionRating.objects.filter(pk=rating.pk).update(comment=masked)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0014_claim_action")]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]
