"""The pages of following and reuse: the change log and its feeds."""

from django.urls import path

from . import feeds, views

app_name = "follow"

urlpatterns = [
    path("changes/", views.change_log, name="changes"),
    path("data/", views.data_package_index, name="data"),
    path("data/<str:date>.zip", views.data_package_download, name="data-download"),
    path("feeds/changes/", feeds.ChangesFeed(), name="feed-changes"),
    path("feeds/zones/<slug:slug>/", feeds.ZoneChangesFeed(), name="feed-zone"),
    path("feeds/provinces/<str:code>/", feeds.ProvinceChangesFeed(), name="feed-province"),
]
