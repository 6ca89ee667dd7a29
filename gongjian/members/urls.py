"""URLs of the `members` app."""

from django.urls import URLPattern, URLResolver

app_name = "members"

urlpatterns: list[URLPattern | URLResolver] = []
