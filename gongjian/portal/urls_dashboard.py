"""Internal dashboards (login), mounted at ``/dashboard/``."""

from django.urls import URLPattern, URLResolver, path

from gongjian.portal import views_dashboard

app_name = "dashboard"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_dashboard.index, name="index"),
    path("export.xlsx", views_dashboard.export, name="export"),
    path("pairs/<int:pk>/", views_dashboard.pair, name="pair"),
]
