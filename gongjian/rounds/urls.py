"""Round pages (admin, unit and village workflows)."""

from django.urls import path

from gongjian.notifications.views import index as notifications_index
from gongjian.rounds import (
    views,
    views_adjustment,
    views_allocation,
    views_choosing,
    views_helping,
    views_jobs,
    views_pairing,
)

app_name = "rounds"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.round_create_view, name="create"),
    # The old address of the notifications list: the same page as the navigation's.
    path("notifications/", notifications_index, name="notifications"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/open/", views.round_open_view, name="open"),
    path("<int:pk>/deadline/", views.round_deadline_view, name="deadline"),
    path("<int:pk>/proposals/", views.proposals_view, name="proposals"),
    path("<int:pk>/geography/", views.geography_view, name="geography"),
    path("<int:pk>/geography/template.<str:fmt>", views.geography_template_view, name="geography_template"),
    path("<int:pk>/directory/", views_choosing.directory_view, name="directory"),
    path("<int:pk>/directory/<int:entry_pk>/", views_choosing.entry_view, name="entry"),
    path("<int:pk>/directory/<int:entry_pk>/intent/", views_choosing.intent_submit_view, name="intent_submit"),
    path("<int:pk>/intents/", views_choosing.my_intents_view, name="my_intents"),
    path("<int:pk>/intents/<int:intent_pk>/move/", views_choosing.intent_move_view, name="intent_move"),
    path("<int:pk>/intents/<int:intent_pk>/withdraw/", views_choosing.intent_withdraw_view, name="intent_withdraw"),
    path("<int:pk>/wishes/", views_choosing.wishes_view, name="wishes"),
    path("<int:pk>/allocation/", views_allocation.allocation_view, name="allocation"),
    path("<int:pk>/allocation/run/", views_allocation.allocation_run_view, name="allocation_run"),
    path("<int:pk>/allocation/pick/<str:what>/", views_allocation.allocation_pick, name="allocation_pick"),
    path("<int:pk>/runs/<int:number>/", views_allocation.run_view, name="run"),
    path("<int:pk>/runs/<int:number>/publish/", views_allocation.run_publish_view, name="publish"),
    path("<int:pk>/pairings/", views_pairing.pairings_view, name="pairings"),
    path("<int:pk>/agreement-pdfs/", views_jobs.agreement_pdfs_view, name="agreement_pdfs"),
    path("<int:pk>/renewals/", views_pairing.pairings_view, {"renewals": True}, name="renewals"),
    path("pairings/<int:pk>/confirm/", views_pairing.pairing_confirm_view, name="pairing_confirm"),
    path("pairings/<int:pk>/decline/", views_pairing.pairing_decline_view, name="pairing_decline"),
    path("pairings/<int:pk>/end/", views_pairing.pairing_end_view, name="pairing_end"),
    path("pairings/<int:pk>/replace/", views_adjustment.pairing_replace_view, name="pairing_replace"),
    path("<int:pk>/adjustments/", views_adjustment.adjustments_view, name="adjustments"),
    path("<int:pk>/plan/", views_helping.unit_plan_view, name="unit_plan"),
    path("pairings/<int:pk>/partners/", views_helping.pairing_partner_view, name="pairing_partner"),
    path("pairings/<int:pk>/agreement/", views_pairing.agreement_generate_view, name="agreement_generate"),
    path("pairings/<int:pk>/sign/", views_pairing.agreement_sign_view, name="agreement_sign"),
    path("pairings/<int:pk>/agreement.pdf", views_pairing.agreement_download_view, name="agreement_pdf"),
]
