"""Public funds disclosure pages. To be included by the lead at ``portal/funds/``:
``path("portal/funds/", include("gongjian.portal.urls_funds"))``."""

from django.urls import path

from gongjian.portal import views_funds

app_name = "portal_funds"

urlpatterns = [
    path("", views_funds.funds_index, name="index"),
    path("villages/<int:pk>/", views_funds.funds_village, name="village"),
]
