"""Public pages (no login): index, live status board, directory; and the internal,
scoped board (login)."""

from django.urls import path

from gongjian.portal import views, views_maps

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("maps/<str:code>.json", views_maps.city_map, name="city_map"),
    path("rounds/<int:pk>/", views.board, name="board"),
    path("rounds/<int:pk>/live/", views.board_live, name="board_live"),
    path("rounds/<int:pk>/county/", views.board_county, name="board_county"),
    path("rounds/<int:pk>/town/", views.board_town, name="board_town"),
    path("rounds/<int:pk>/directory/", views.directory, name="directory"),
    path("rounds/<int:pk>/internal/", views.internal_board, name="internal_board"),
    path("rounds/<int:pk>/internal/live/", views.internal_board_live, name="internal_board_live"),
    path("rounds/<int:pk>/internal/county/", views.internal_board_county, name="internal_board_county"),
    path("rounds/<int:pk>/internal/town/", views.internal_board_town, name="internal_board_town"),
]
