"""URLs of the `records` app: archive, three cards, reports, inspection notices."""

from django.urls import URLPattern, URLResolver, path

from gongjian.records import views_archive, views_cards, views_reports

app_name = "records"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_archive.index, name="index"),
    path("p/<int:pk>/", views_archive.archive, name="archive"),
    path("p/<int:pk>/visits/new/", views_archive.visit_new, name="visit_new"),
    path("p/<int:pk>/six/new/", views_archive.six_new, name="six_new"),
    path("p/<int:pk>/deliveries/new/", views_archive.delivery_new, name="delivery_new"),
    path("p/<int:pk>/projects/new/", views_archive.project_new, name="project_new"),
    path("p/<int:pk>/contacts/", views_archive.contact_card, name="contacts"),
    path("p/<int:pk>/contacts/prefill/", views_archive.contact_prefill, name="contact_prefill"),
    path("p/<int:pk>/feedback/new/", views_cards.feedback_new, name="feedback_new"),
    path("p/<int:pk>/card/", views_cards.card_edit, name="card_edit"),
    path("projects/<int:pk>/", views_archive.project_detail, name="project"),
    path("milestones/<int:pk>/done/", views_archive.milestone_done, name="milestone_done"),
    path("contacts/<int:pk>/delete/", views_archive.contact_remove, name="contact_delete"),
    path("feedback/", views_cards.feedback_list, name="feedback_list"),
    path("feedback/<int:pk>/", views_cards.feedback_detail, name="feedback"),
    path("feedback/<int:pk>/close/", views_cards.feedback_close_view, name="feedback_close"),
    path("cards/", views_cards.card_list, name="card_list"),
    path("cards/<int:pk>/", views_cards.card_detail, name="card"),
    path("reports/", views_reports.reports, name="reports"),
    path("reports/<int:year>/<int:quarter>/", views_reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/", views_reports.report_detail, name="report"),
    path("notices/", views_reports.notices, name="notices"),
    path("notices/<int:pk>.pdf", views_reports.notice_pdf, name="notice_pdf"),
]
