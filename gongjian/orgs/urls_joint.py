"""Joint organization pages (联建), included by ``gongjian.orgs.urls`` under ``joint/``."""

from django.urls import path

from gongjian.orgs import views_joint

urlpatterns = [
    path("joint/", views_joint.joint_list_view, name="joint_list"),
    path("joint/new/", views_joint.joint_create_view, name="joint_create"),
    path("joint/import/", views_joint.joint_import_view, name="joint_import"),
    path("joint/template.xlsx", views_joint.joint_template_view, name="joint_template"),
    path("joint/export.xlsx", views_joint.joint_export_view, name="joint_export"),
    path("joint/<int:pk>/", views_joint.joint_detail_view, name="joint_detail"),
    path("joint/<int:pk>/members/add/", views_joint.joint_member_add_view, name="joint_member_add"),
    path(
        "joint/<int:pk>/members/<int:membership_pk>/remove/",
        views_joint.joint_member_remove_view,
        name="joint_member_remove",
    ),
    path("joint/<int:pk>/charter/", views_joint.joint_charter_view, name="joint_charter"),
    path("<int:pk>/joint-panel/", views_joint.joint_panel_view, name="joint_panel"),
]
