"""Re-index every stored address by its household (법 제2조 제6호): the blind index is now taken
of the normalised address (complaints.domain.addresses.household_key), so a complaint filed today
is recognised as the same household, and the same complainant (법 제23조①), as one filed before."""

from django.db import migrations

from minwon.complaints.domain.addresses import household_key
from minwon.core import crypto


def _index(token: str) -> str:
    address = crypto.decrypt(token) if token else ""
    return crypto.blind_index(household_key(address), purpose="household") if address else ""


def reindex(apps, schema_editor):
    Applicant = apps.get_model("complaints", "Applicant")
    Cosigner = apps.get_model("complaints", "Cosigner")
    for applicant in Applicant.objects.exclude(address_encrypted="").iterator():
        applicant.address_index = _index(applicant.address_encrypted)
        applicant.save(update_fields=["address_index"])
    for cosigner in Cosigner.objects.exclude(address_encrypted="").iterator():
        cosigner.household_index = _index(cosigner.address_encrypted)
        cosigner.save(update_fields=["household_index"])


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0009_moved_dates"),
    ]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
