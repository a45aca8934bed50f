from django.urls import path

from gongkai.publications import views, views_attachments, views_ledger

app_name = "publications"

urlpatterns = [
    path("", views.publication_list, name="list"),
    path("new/", views.publication_create, name="create"),
    path("review/", views.review_queue, name="review_queue"),
    path("overdue/", views.overdue, name="overdue"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/edit/", views.publication_edit, name="edit"),
    path("<int:pk>/submit/", views.publication_submit, name="submit"),
    path("<int:pk>/approve/", views.publication_approve, name="approve"),
    path("<int:pk>/reject/", views.publication_reject, name="reject"),
    path("<int:pk>/withdraw/", views.publication_withdraw, name="withdraw"),
    path("<int:pk>/repeal/", views.publication_repeal, name="repeal"),
    path("<int:pk>/review-form.docx", views.review_form_docx, name="review_form_docx"),
    path("<int:pk>/attachments/", views_attachments.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:att_pk>/", views_attachments.attachment_file, name="attachment"),
    path(
        "<int:pk>/attachments/<int:att_pk>/remove/",
        views_attachments.attachment_remove,
        name="attachment_remove",
    ),
    # Channel posts, policy interpretations, archive transfers.
    path("posts/", views_ledger.post_list, name="posts"),
    path("posts/new/", views_ledger.post_create, name="post_create"),
    path("interpretations/", views_ledger.interpretation_list, name="interpretations"),
    path("interpretations/new/", views_ledger.interpretation_create, name="interpretation_create"),
    path("archive/", views_ledger.archive_list, name="archive"),
    path("archive/new/", views_ledger.archive_create, name="archive_create"),
    path("archive/<int:pk>/print/", views_ledger.archive_print, name="archive_print"),
    # Table 二 facts.
    path("facts/", views_ledger.facts_overview, name="facts"),
    path("facts/matters/", views_ledger.matter_list, name="matters"),
    path("facts/matters/new/", views_ledger.matter_create, name="matter_create"),
    path("facts/matters/<int:pk>/abolish/", views_ledger.matter_abolish, name="matter_abolish"),
    path("facts/decisions/", views_ledger.decision_list, name="decisions"),
    path("facts/decisions/new/", views_ledger.decision_create, name="decision_create"),
    path("facts/fees/", views_ledger.fee_list, name="fees"),
    path("facts/fees/new/", views_ledger.fee_create, name="fee_create"),
    path("facts/procurement/", views_ledger.procurement_list, name="procurement"),
    path("facts/procurement/new/", views_ledger.procurement_create, name="procurement_create"),
]
