from django.urls import path

from gongkai.delivery import views

app_name = "delivery"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("messages/<int:pk>/retry/", views.retry, name="retry"),
    path("post/", views.post_list, name="post_list"),
    path("post/<int:pk>/letter/", views.post_letter, name="post_letter"),
    path("post/<int:pk>/sent/", views.post_sent, name="post_sent"),
    path("notices/", views.notices, name="notices"),
]
