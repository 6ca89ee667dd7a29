"""URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from gongjian.api.urls import api, unknown_endpoint
from gongjian.api.views import token_page, token_revoke_view
from gongjian.jobs.health import healthz

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
    path("api/<path:rest>", unknown_endpoint),
    path("", include("gongjian.portal.urls_home")),
    # Personal API tokens (for mobile clients), under the account menu.
    path("accounts/tokens/", token_page, name="api_tokens"),
    path("accounts/tokens/<int:pk>/revoke/", token_revoke_view, name="api_token_revoke"),
    path("accounts/", include("gongjian.accounts.urls")),
    path("orgs/", include("gongjian.orgs.urls")),
    path("orgs/", include("gongjian.joint.urls")),
    path("audit/", include("gongjian.auditlog.urls")),
    path("rounds/", include("gongjian.rounds.urls")),
    path("policies/", include("gongjian.policies.urls")),
    path("records/", include("gongjian.records.urls")),
    # Uploaded files only through scoped views (there is no public /media/, in development
    # or production): the archive's here, vouchers and agreements under their apps.
    path("files/", include("gongjian.records.urls_files")),
    path("funds/", include("gongjian.funds.urls")),
    path("compliance/", include("gongjian.compliance.urls")),
    path("dispatch/", include("gongjian.dispatch.urls")),
    path("members/", include("gongjian.members.urls")),
    path("portal/funds/", include("gongjian.portal.urls_funds")),
    path("dashboard/", include("gongjian.portal.urls_dashboard")),
    path("jobs/", include("gongjian.jobs.urls")),
    path("notifications/", include("gongjian.notifications.urls")),
    path("healthz", healthz, name="healthz"),
    path("portal/", include("gongjian.portal.urls")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
