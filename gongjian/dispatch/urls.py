"""URLs of the `dispatch` app (选派干部)."""

from django.urls import URLPattern, URLResolver, path

from gongjian.dispatch import views, views_io, views_match, views_term

app_name = "dispatch"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("candidates/", views.candidate_list, name="candidates"),
    path("candidates/apply/", views.candidate_apply_view, name="apply"),
    path("candidates/import/", views_io.import_view, name="import"),
    path("candidates/template.xlsx", views_io.template_view, name="template"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/<str:step>/", views.candidate_step, name="candidate_step"),
    path("candidates/<int:pk>/appoint", views_match.appoint, name="appoint"),
    path("villages/", views.village_list, name="villages"),
    path("villages/<int:pk>/needs/", views.needs_edit, name="needs"),
    path("runs/", views_match.run_list, name="runs"),
    path("runs/<int:pk>/", views_match.run_detail, name="run"),
    path("runs/<int:pk>/confirm/", views_match.run_confirm, name="run_confirm"),
    path("appointments/", views_term.appointment_list, name="appointments"),
    path("appointments/<int:pk>/", views_term.appointment_detail, name="appointment"),
    path("export/<str:sheet>.<str:fmt>", views_io.export_view, name="export"),
]
