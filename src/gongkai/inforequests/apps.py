from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InforequestsConfig(AppConfig):
    name = "gongkai.inforequests"
    label = "inforequests"
    verbose_name = _("依申请公开")
    # Swept by ``gongkai tick`` of files no row names (core.orphans): the applicant's online 补正 files
    # and the documents a reply releases.
    private_folders = {
        "corrections": ("inforequests.CorrectionFile", "storage_name"),
        "released": ("inforequests.ReleasedFile", "storage_name"),
    }

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from gongkai.core.dashboard import register_panel
        from gongkai.core.models import CalendarYear
        from gongkai.inforequests import panels
        from gongkai.inforequests.signals import calendar_year_saved

        for panel in panels.PANELS:
            register_panel(panel)
        post_save.connect(calendar_year_saved, sender=CalendarYear, dispatch_uid="inforequests.calendar_year")
