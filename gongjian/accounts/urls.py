from django.contrib.auth import views as auth_views
from django.urls import path

from gongjian.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.GongjianLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.GongjianPasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_done",
    ),
]
