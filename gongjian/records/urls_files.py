"""URLs of the archive's files (mounted at ``/files/``; there is no public ``/media/``)."""

from django.urls import URLPattern, path

from gongjian.records import views_files, views_practices

app_name = "files"

urlpatterns: list[URLPattern] = [
    path("visits/<int:visit>/photos/<int:pk>/", views_files.visit_photo, name="visit_photo"),
    path("six/<int:pk>/evidence/", views_files.six_must_evidence, name="six_must_evidence"),
    path("projects/<int:project>/evidence/<int:pk>/", views_files.project_evidence, name="project_evidence"),
    path("five-ones/<int:target>/files/<int:pk>/", views_practices.five_one_evidence, name="five_one_evidence"),
]
