from django.apps import AppConfig


class ResponsivenessConfig(AppConfig):
    name = "gongkai.responsiveness"
    label = "responsiveness"
    verbose_name = "回应关切与督查督办"

    def ready(self) -> None:
        from gongkai.core.dashboard import register_panel
        from gongkai.responsiveness.panels import meetings_panel, supervision_panel

        register_panel(supervision_panel)
        register_panel(meetings_panel)
