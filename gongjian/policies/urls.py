from django.urls import path

from gongjian.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.profile_list, name="list"),
    path("<slug:key>/", views.profile_detail, name="detail"),
]
