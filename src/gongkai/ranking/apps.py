from django.apps import AppConfig


class RankingConfig(AppConfig):
    name = "gongkai.ranking"
    label = "ranking"
    verbose_name = "考核排名"

    def ready(self) -> None:
        from gongkai.core.dashboard import register_panel
        from gongkai.ranking.dashboard import ranking_panel

        register_panel(ranking_panel)
