from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = "公开专栏"
    # Swept by `gongkai tick` (core.orphans): a scan in this folder that no ApplicationScan names.
    private_folders = {"idscans": ("portal.ApplicationScan", "storage_name")}
