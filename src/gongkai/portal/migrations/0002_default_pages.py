"""Starter texts of the 政府信息公开指南 and 制度 pages; the office edits them in the workbench."""

from django.db import migrations

from gongkai.portal.default_pages import GUIDE, RULES


def create_pages(apps, schema_editor):
    Page = apps.get_model("portal", "Page")
    Page.objects.get_or_create(slug="guide", defaults={"title": "政府信息公开指南", "body": GUIDE})
    Page.objects.get_or_create(slug="rules", defaults={"title": "政府信息公开制度", "body": RULES})


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
