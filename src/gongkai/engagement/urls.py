from django.urls import path

from gongkai.engagement import views

app_name = "engagement"
urlpatterns = [
    path("", views.letter_list, name="list"),
    path("<int:pk>/", views.letter_detail, name="detail"),
    path("<int:pk>/contact/", views.letter_reveal, name="reveal"),
    path("<int:pk>/publish/check/", views.letter_publish_check, name="publish_check"),
    path("<int:pk>/forwardings/<int:fpk>/answer/", views.forwarding_answer, name="forwarding_answer"),
    path("<int:pk>/forwardings/<int:fpk>/recall/", views.forwarding_recall, name="forwarding_recall"),
    path("<int:pk>/<str:action>/", views.letter_action, name="action"),
]
