from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "gongkai.participation"
    label = "participation"
    verbose_name = "微网格互动"
    # The lesson files (video, audio, documents) live in core's private storage under this folder.
    private_folders = {"lessons": ("participation.Lesson", "storage_name")}

    def ready(self) -> None:
        from gongkai.core.dashboard import register_panel
        from gongkai.participation.panels import participation_panel

        register_panel(participation_panel)
