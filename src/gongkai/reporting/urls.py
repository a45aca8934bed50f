from django.urls import path

from gongkai.reporting import views, views_statistics

app_name = "reporting"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("statistics/", views_statistics.statistics_page, name="statistics"),
    path("statistics/<slug:key>.xlsx", views_statistics.statistics_xlsx, name="statistics_xlsx"),
    path("new/", views.report_create, name="create"),
    path("<int:year>/", views.report_detail, name="detail"),
    path("<int:year>/edit/", views.report_edit, name="edit"),
    path("<int:year>/refresh/", views.report_refresh, name="refresh"),
    path("<int:year>/submit/", views.report_submit, name="submit"),
    path("<int:year>/reopen/", views.report_reopen, name="reopen"),
    path("<int:year>/publish/", views.report_publish, name="publish"),
    path("<int:year>/preview/", views.report_preview, name="preview"),
    path("<int:year>/download/<str:fmt>/", views.report_download, name="download"),
]
