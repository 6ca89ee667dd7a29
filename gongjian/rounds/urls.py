"""Round pages (admin, unit and village workflows)."""

from django.urls import path  # noqa: F401  (patterns are added by the round pages)

app_name = "rounds"

urlpatterns: list = []  # type: ignore[type-arg]
