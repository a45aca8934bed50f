from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "gongkai.publications"
    label = "publications"
    verbose_name = "主动公开"
    # Swept by `gongkai tick` (core.orphans): a file in this folder that no attachment names.
    private_folders = {"attachments": ("publications.PublicationAttachment", "storage_name")}

    def ready(self) -> None:
        from gongkai.publications import dashboard

        dashboard.register()
