"""URLs of the `funds` app (mounted at /funds/)."""

from django.urls import path

from gongjian.funds import views, views_calculator, views_write

app_name = "funds"

urlpatterns = [
    path("", views.index, name="index"),
    path("villages/", views.villages, name="villages"),
    path("villages/<int:pk>/", views.village_detail, name="village"),
    path("villages/<int:pk>/uses/new/", views_write.use_new, name="use_new"),
    path("villages/<int:pk>/disclosures/new/", views_write.disclosure_new, name="disclosure_new"),
    path("villages/<int:pk>/ledger.xlsx", views.village_export, name="village_export"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing"),
    path("pairings/<int:pk>/pledges/new/", views_write.pledge_new, name="pledge_new"),
    path("pairings/<int:pk>/transfers/new/", views_write.transfer_new, name="transfer_new"),
    path("pairings/<int:pk>/feedback/new/", views_write.feedback_new, name="feedback_new"),
    path("pairings/<int:pk>/ledger.xlsx", views.pairing_export, name="pairing_export"),
    path("transfers/<int:pk>/receipt/", views_write.receipt_new, name="receipt_new"),
    path("transfers/<int:pk>/delete/", views_write.transfer_delete_view, name="transfer_delete"),
    path("transfers/<int:pk>/voucher/", views.transfer_voucher, name="transfer_voucher"),
    path("transfers/import/", views_write.transfer_import_view, name="transfer_import"),
    path("transfers/import/template.xlsx", views_write.transfer_import_template, name="transfer_import_template"),
    path("uses/<int:pk>/voucher/", views.use_voucher, name="use_voucher"),
    path("feedback/<int:pk>/read/", views_write.feedback_read, name="feedback_read"),
    path("calculator/", views_calculator.calculator, name="calculator"),
]
