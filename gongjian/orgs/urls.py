from django.urls import path

from gongjian.orgs import views, views_io, views_register

app_name = "orgs"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("tree/", views.organization_tree, name="tree"),
    path("tree/<int:pk>/", views.organization_tree_children, name="tree_children"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/new/", views.organization_create, name="create"),
    path("<int:pk>/new-village/", views_register.village_from_register, name="village_from_register"),
    path("<int:pk>/people/new/", views.person_create, name="person_create"),
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/reveal/", views.person_reveal_view, name="person_reveal"),
    path("people/<int:pk>/erase/", views.person_erase_view, name="person_erase"),
    path("import/<str:sheet>/", views_io.import_view, name="import"),
    path("template/<str:sheet>.<str:fmt>", views_io.template_view, name="template"),
    path("export/<str:sheet>.<str:fmt>", views_io.export_view, name="export"),
]
