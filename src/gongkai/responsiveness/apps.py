from django.apps import AppConfig


class ResponsivenessConfig(AppConfig):
    name = "gongkai.responsiveness"
    label = "responsiveness"
    verbose_name = "回应关切与督查督办"
    # The evidence files of completed 督办 tasks, for `gongkai tick`'s orphan sweep and the backup.
    private_folders = {"supervision": ("responsiveness.SupervisionEvidence", "storage_name")}

    def ready(self) -> None:
        from gongkai.core.dashboard import register_panel
        from gongkai.responsiveness.panels import meetings_panel, supervision_panel

        register_panel(supervision_panel)
        register_panel(meetings_panel)
