"""The public portal at the site root, plus its staff views (private uploads, the editable pages)."""

from django.urls import path, register_converter

from gongkai.portal import views, views_case, views_staff


class TrackingConverter:
    regex = r"WS[0-9]{8}-[0-9A-Z]{6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TrackingConverter, "tracking")

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("disclosure/", views.catalogue, name="catalogue"),
    path("disclosure/<int:pk>/", views.item, name="item"),
    path("disclosure/<int:pk>/files/<int:att_pk>/", views.item_attachment, name="item_attachment"),
    path("disclosure/interpretations/<int:pk>/", views.interpretation, name="interpretation"),
    path("search/", views.search_page, name="search"),
    path("guide/", views.guide, name="guide"),
    path("rules/", views.rules, name="rules"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:year>.<str:fmt>", views.report_file, name="report_file"),
    path("apply/", views.apply, name="apply"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("apply/status/", views.status_lookup, name="status_lookup"),
    path("apply/status/<tracking:tracking_number>/", views.status, name="status"),
    path(
        "apply/status/<tracking:tracking_number>/notice.docx", views.status_notice_docx, name="status_notice"
    ),
    path(
        "apply/status/<tracking:tracking_number>/notice.pdf",
        views_case.status_notice_pdf,
        name="status_notice_pdf",
    ),
    path(
        "apply/status/<tracking:tracking_number>/correction/",
        views_case.status_correction,
        name="status_correction",
    ),
    path(
        "apply/status/<tracking:tracking_number>/files/<int:pk>/",
        views_case.status_released_file,
        name="status_released_file",
    ),
    path("mailbox/", views.mailbox, name="mailbox"),
    path("mailbox/<int:pk>/", views.mailbox_letter, name="mailbox_letter"),
    path("mailbox/write/", views.mailbox_write, name="mailbox_write"),
    path("mailbox/lookup/", views.mailbox_lookup, name="mailbox_lookup"),
    path("workbench/portal/scans/<int:pk>/", views_staff.scan_file, name="scan"),
    path("workbench/portal/pages/", views_staff.page_list, name="staff_pages"),
    path("workbench/portal/pages/<slug:slug>/", views_staff.page_edit, name="staff_page_edit"),
]
