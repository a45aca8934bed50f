from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "gongkai.engagement"
    label = "engagement"
    verbose_name = "互动交流"

    def ready(self) -> None:
        from gongkai.core.dashboard import register_panel
        from gongkai.engagement.panels import forwarded_panel, letters_panel

        register_panel(letters_panel)
        register_panel(forwarded_panel)
