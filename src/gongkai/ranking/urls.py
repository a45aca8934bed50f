from django.urls import path

from gongkai.ranking import views

app_name = "ranking"
urlpatterns = [
    path("", views.index, name="index"),
    path("method/", views.method_edit, name="method"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("<int:year>/q<int:quarter>/", views.quarter_page, name="quarter"),
    path("<int:year>/q<int:quarter>/publish/", views.publish, name="publish"),
    path("<int:year>/q<int:quarter>/<int:department>/<str:indicator>/", views.drilldown, name="drill"),
]
