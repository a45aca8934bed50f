from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "gongkai.reporting"
    label = "reporting"
    verbose_name = "年度报告"

    def ready(self) -> None:
        from gongkai.core.dashboard import register_panel
        from gongkai.reporting.dashboard import annual_report_panel, statistics_panel

        register_panel(annual_report_panel)
        register_panel(statistics_panel)
