"""Seed one editable 告知书 template per outcome with the default wording and legal basis."""

from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.inforequests.notice_text import DEFAULT_TEMPLATES

    ReplyTemplate = apps.get_model("inforequests", "ReplyTemplate")
    for outcome, text in DEFAULT_TEMPLATES.items():
        ReplyTemplate.objects.get_or_create(
            outcome=str(outcome),
            defaults={"title": text.title, "body": text.body, "legal_basis": text.legal_basis},
        )


class Migration(migrations.Migration):
    dependencies = [("inforequests", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
