from django.urls import path

from gongkai.inforequests import views

app_name = "inforequests"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_create, name="create"),
    path("due/", views.due, name="due"),
    path("assign-handlers/", views.assign_handlers, name="assign_handlers"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("review-chain/", views.review_chain, name="review_chain"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/notice/", views.notice_preview, name="notice_preview"),
    path("<int:pk>/answer-fill/", views.answer_fill, name="answer_fill"),
    path("<int:pk>/notice.docx", views.notice_docx, name="notice_docx"),
    path("<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("<int:pk>/released/", views.released_file_add, name="released_file_add"),
    path("<int:pk>/released/<int:file_pk>/", views.released_file_download, name="released_file"),
    path("<int:pk>/released/<int:file_pk>/remove/", views.released_file_remove, name="released_file_remove"),
    path("<int:pk>/provision/", views.provision_set, name="provision_set"),
    path("<int:pk>/correction-files/<int:file_pk>/", views.correction_file, name="correction_file"),
    path("<int:pk>/approval-form.docx", views.approval_form_docx, name="approval_form_docx"),
    *[
        path(f"<int:pk>/{name.replace('_', '-')}/", view, name=name)
        for name, view in views.ACTION_VIEWS.items()
    ],
]
