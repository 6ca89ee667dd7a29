"""URLs of the `records` app: archive, three cards, reports, inspection notices."""

from django.urls import URLPattern, URLResolver, path

from gongjian.records import (
    views_archive,
    views_archive_edit,
    views_cards,
    views_member_reports,
    views_practices,
    views_reports,
    views_village_duties,
)

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
    path("visits/<int:pk>/edit/", views_archive_edit.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/delete/", views_archive_edit.visit_remove, name="visit_delete"),
    path("six/<int:pk>/edit/", views_archive_edit.six_edit, name="six_edit"),
    path("six/<int:pk>/delete/", views_archive_edit.six_remove, name="six_delete"),
    path("deliveries/<int:pk>/edit/", views_archive_edit.delivery_edit, name="delivery_edit"),
    path("deliveries/<int:pk>/delete/", views_archive_edit.delivery_remove, name="delivery_delete"),
    path("projects/<int:pk>/", views_archive.project_detail, name="project"),
    path("milestones/<int:pk>/done/", views_archive.milestone_done, name="milestone_done"),
    path("contacts/<int:pk>/delete/", views_archive.contact_remove, name="contact_delete"),
    path("feedback/", views_cards.feedback_list, name="feedback_list"),
    path("feedback/<int:pk>/", views_cards.feedback_detail, name="feedback"),
    path("feedback/<int:pk>/close/", views_cards.feedback_close_view, name="feedback_close"),
    path("cards/", views_cards.card_list, name="card_list"),
    path("cards/<int:pk>/", views_cards.card_detail, name="card"),
    path("cards/<int:pk>/acknowledge/", views_cards.card_acknowledge, name="card_acknowledge"),
    path("reports/", views_reports.reports, name="reports"),
    # 党员每季度向所在党组织报告 (seed 004 doc 5 三、3): the first link before the unit's report
    path("reports/members/", views_member_reports.member_reports, name="member_reports"),
    # 村对共建单位的工作 (双向受益: seed 002; seed 004 doc 2 二、3)
    path("p/<int:pk>/village-duties/", views_village_duties.village_duties, name="village_duties"),
    path("reports/<int:year>/<int:quarter>/", views_reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/", views_reports.report_detail, name="report"),
    path("notices/", views_reports.notices, name="notices"),
    path("notices/<int:pk>.pdf", views_reports.notice_pdf, name="notice_pdf"),
    # 五个一 (seed 000); public commitments, 述职 and 评议 (seed 002, seed 004 doc 2)
    path("p/<int:pk>/five-ones/", views_practices.five_ones, name="five_ones"),
    path("p/<int:pk>/five-ones/<str:kind>/", views_practices.five_one_edit, name="five_one_edit"),
    path("p/<int:pk>/commitments/", views_practices.commitments, name="commitments"),
    path("commitments/<int:pk>/report/", views_practices.commitment_report_edit, name="commitment_report"),
]
