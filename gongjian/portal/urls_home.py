"""The workbench (工作台), the landing page after login.

Its URL keeps the name ``core:home`` (``LOGIN_REDIRECT_URL``, the brand link and the error
pages use it), though the page lives here: ``core`` is plumbing and may not read the
registry (``tests/test_layers.py``)."""

from django.urls import path

from gongjian.portal import views_home

app_name = "core"

urlpatterns = [
    path("", views_home.home, name="home"),
]
