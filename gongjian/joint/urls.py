"""Joint organization pages (联建), under the registry's address (``/orgs/joint/``, and the
panel an organization's page loads, ``/orgs/<pk>/joint-panel/``)."""

from django.urls import path

from gongjian.joint import views as views_joint

app_name = "joint"

urlpatterns = [
    path("joint/", views_joint.joint_list_view, name="list"),
    path("joint/new/", views_joint.joint_create_view, name="create"),
    path("joint/import/", views_joint.joint_import_view, name="import"),
    path("joint/template.xlsx", views_joint.joint_template_view, name="template"),
    path("joint/export.xlsx", views_joint.joint_export_view, name="export"),
    path("joint/<int:pk>/", views_joint.joint_detail_view, name="detail"),
    path("joint/<int:pk>/members/add/", views_joint.joint_member_add_view, name="member_add"),
    path(
        "joint/<int:pk>/members/<int:membership_pk>/remove/",
        views_joint.joint_member_remove_view,
        name="member_remove",
    ),
    path("joint/<int:pk>/charter/", views_joint.joint_charter_view, name="charter"),
    path("<int:pk>/joint-panel/", views_joint.joint_panel_view, name="panel"),
]
