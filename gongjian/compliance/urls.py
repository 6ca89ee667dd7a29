"""URLs of the `compliance` app."""

from django.urls import URLPattern, URLResolver, path

from gongjian.compliance import views, views_evaluation, views_export, views_secretaries

app_name = "compliance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("export.xlsx", views_export.overview_export, name="overview_export"),
    path("pairs/<int:pairing_id>/", views.pair_detail, name="pair_detail"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/export.xlsx", views.assessment_export, name="assessment_export"),
    path("evaluate/", views.evaluate, name="evaluate"),
    path("secretaries/", views_secretaries.secretaries, name="secretaries"),
    path("evaluation/<int:pairing_id>/", views_evaluation.evaluation, name="evaluation"),  # 群众评议 (seed 002)
]
