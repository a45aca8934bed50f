"""Outbox delivery: an idempotency key per message, backoff between attempts, a dead-letter mark and the
result of the last delivery."""

from django.db import migrations, models


def key_existing_messages(apps, schema_editor):
    # Messages queued before keys existed are named after their row, which is unique too.
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    for pk in OutboxMessage.objects.filter(idempotency_key__isnull=True).values_list("pk", flat=True):
        OutboxMessage.objects.filter(pk=pk).update(idempotency_key=f"outbox:{pk}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_user_account_security")]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="idempotency_key",
            field=models.CharField(max_length=200, null=True, verbose_name="幂等键"),
        ),
        migrations.RunPython(key_existing_messages, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboxmessage",
            name="idempotency_key",
            field=models.CharField(max_length=200, unique=True, verbose_name="幂等键"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="result",
            field=models.CharField(blank=True, max_length=300, verbose_name="处理结果"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="下次尝试时间"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="dead_at",
            field=models.DateTimeField(blank=True, db_index=True, null=True, verbose_name="转入死信时间"),
        ),
    ]
