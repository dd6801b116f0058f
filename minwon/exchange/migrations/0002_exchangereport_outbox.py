import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Reports become outbox rows with fixed content; the link keeps the last queued state.

    Links already reported keep their sequence, status and deadline as the queued state (those
    reports were acknowledged); a failed report's retry state is dropped, and the next sweep
    queues a report for every link whose complaint differs from it.
    """

    dependencies = [
        ("exchange", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("exchangelink", "reported_sequence", "queued_sequence"),
        migrations.RenameField("exchangelink", "reported_status", "queued_status"),
        migrations.RenameField("exchangelink", "reported_due_at", "queued_due_at"),
        migrations.RemoveField("exchangelink", "report_attempts"),
        migrations.RemoveField("exchangelink", "next_report_at"),
        migrations.RemoveField("exchangelink", "last_error"),
        migrations.AddField(
            model_name="exchangecursor",
            name="sweep_owner",
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AddField(
            model_name="exchangecursor",
            name="sweep_lease_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="ExchangeReport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("sequence", models.PositiveIntegerField()),
                ("report_id", models.CharField(max_length=80, unique=True)),
                ("payload", models.JSONField()),
                ("state", models.CharField(choices=[("pending", "waiting to be delivered"), ("delivered", "delivered"), ("conflict", "the national side holds a different report under this id")], default="pending", max_length=10)),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.TextField(blank=True)),
                ("delivered_at", models.DateTimeField(blank=True, null=True)),
                ("confirmed_by", models.CharField(blank=True, max_length=12)),
                ("link", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="reports", to="exchange.exchangelink")),
            ],
            options={
                "indexes": [models.Index(fields=["state", "next_attempt_at"], name="exchange_report_due")],
                "constraints": [models.UniqueConstraint(fields=("link", "sequence"), name="exchange_report_sequence")],
            },
        ),
    ]
