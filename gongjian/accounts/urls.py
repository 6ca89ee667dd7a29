from django.contrib.auth import views as auth_views
from django.urls import path

from gongjian.accounts import views, views_manage, views_otp

app_name = "accounts"

urlpatterns = [
    path("login/", views.GongjianLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.GongjianPasswordChangeView.as_view(), name="password_change"),
    path("otp/setup/", views_otp.otp_setup, name="otp_setup"),
    path("otp/", views_otp.otp_verify, name="otp_verify"),
    path("users/", views_manage.account_index, name="account_list"),
    path("users/new/", views_manage.account_new, name="account_new"),
    path("users/import/", views_manage.account_import_page, name="account_import"),
    path("users/import/template.<str:fmt>", views_manage.account_import_template, name="account_import_template"),
    path("users/<int:pk>/", views_manage.account_detail, name="account_detail"),
    path("users/<int:pk>/disable/", views_manage.account_disable, name="account_disable"),
    path("users/<int:pk>/enable/", views_manage.account_enable, name="account_enable"),
    path("users/<int:pk>/unlock/", views_manage.account_unlock, name="account_unlock"),
    path("users/<int:pk>/password/", views_manage.account_password_reset, name="account_password_reset"),
    path("users/<int:pk>/role/", views_manage.account_role, name="account_role"),
    path("users/<int:pk>/otp-reset/", views_manage.account_otp_reset, name="account_otp_reset"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_done",
    ),
]
