"""URLs of the `members` app: individual pairing (pairs/) and mobile members (mobile/)."""

from django.urls import URLPattern, URLResolver, path

from gongjian.members import views, views_care, views_io, views_mobile, views_pairs

app_name = "members"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    # individual pairing
    path("pairs/", views_pairs.pairing_list_view, name="pairings"),
    path("pairs/unit/<int:pk>/", views_pairs.unit_view, name="unit"),
    path("pairs/pairing/<int:pk>/", views_pairs.pairing_view, name="pairing"),
    path("pairs/pairing/<int:pk>/cadre/new/", views_pairs.cadre_pair_create_view, name="cadre_pair_create"),
    path("pairs/pairing/<int:pk>/household/new/", views_pairs.household_pair_create_view, name="household_pair_create"),
    path("pairs/pairing/<int:pk>/branch/new/", views_pairs.branch_pair_create_view, name="branch_pair_create"),
    path("pairs/export.<str:fmt>", views_io.pairs_export_view, name="pairs_export"),
    path("pairs/template.<str:fmt>", views_io.pairs_template_view, name="pairs_template"),
    path("pairs/import/", views_io.pairs_import_view, name="pairs_import"),
    path("pairs/<str:kind>/<int:pk>/", views_pairs.pair_view, name="pair"),
    path("pairs/<str:kind>/<int:pk>/delivery/", views_pairs.delivery_view, name="delivery"),
    path("pairs/<str:kind>/<int:pk>/plan/", views_pairs.plan_view, name="plan"),
    path("pairs/<str:kind>/<int:pk>/plan/<int:plan_pk>/progress/", views_pairs.progress_view, name="progress"),
    path("pairs/<str:kind>/<int:pk>/end/", views_pairs.pair_end_view, name="pair_end"),
    # mobile members
    path("mobile/", views_mobile.member_list_view, name="members"),
    path("mobile/new/", views_mobile.member_register_view, name="register"),
    path("mobile/export.<str:fmt>", views_io.members_export_view, name="members_export"),
    path("mobile/template.<str:fmt>", views_io.members_template_view, name="members_template"),
    path("mobile/import/", views_io.members_import_view, name="members_import"),
    path("mobile/<int:pk>/", views_mobile.member_view, name="member"),
    path("mobile/<int:pk>/agreement/", views_mobile.agreement_generate_view, name="agreement_generate"),
    path("mobile/<int:pk>/agreement.pdf", views_mobile.agreement_download_view, name="agreement_pdf"),
    path("mobile/<int:pk>/agreement/sign/", views_mobile.agreement_sign_view, name="agreement_sign"),
    path("mobile/<int:pk>/report/", views_mobile.report_view, name="report"),
    path("mobile/<int:pk>/move/", views_mobile.move_view, name="move"),
    path("mobile/<int:pk>/return/", views_mobile.return_view, name="return"),
    path("mobile/<int:pk>/query/", views_mobile.query_ask_view, name="query_ask"),
    path("queries/", views_mobile.query_list_view, name="queries"),
    path("queries/<int:pk>/", views_mobile.query_view, name="query"),
    path("reports/missing/", views_mobile.missing_reports_view, name="missing_reports"),
    path("stations/", views_mobile.stations_view, name="stations"),
    # what the origin did: 七一 letters, 腊月 forums, 五送一建 (seed 004 doc 3, seed 002)
    path("care/", views_care.care_view, name="care"),
]
