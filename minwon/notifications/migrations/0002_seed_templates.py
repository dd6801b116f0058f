"""Seed the default template of every event and language (administrators edit them later)."""

from django.db import migrations


def seed(apps, schema_editor):
    from minwon.notifications.defaults import DEFAULT_TEMPLATES

    Template = apps.get_model("notifications", "NotificationTemplate")
    existing = set(Template.objects.values_list("event", "language"))
    Template.objects.bulk_create(
        Template(
            event=event.value,
            language=language,
            subject=t.subject,
            body=t.body,
            short=t.short,
            alimtalk_code=t.alimtalk_code,
        )
        for (event, language), t in DEFAULT_TEMPLATES.items()
        if (event.value, language) not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
