"""The pages of following and reuse: the change log and its feeds."""

from django.urls import path

from . import alert_views, feeds, search_views, views

app_name = "follow"

urlpatterns = [
    path("changes/", views.change_log, name="changes"),
    path("data/", views.data_package_index, name="data"),
    path("data/<str:date>.zip", views.data_package_download, name="data-download"),
    path("alerts/", alert_views.alert_subscribe, name="alert-subscribe"),
    path("alerts/confirm/<str:token>/", alert_views.alert_confirm, name="alert-confirm"),
    path(
        "alerts/unsubscribe/<str:token>/",
        alert_views.alert_unsubscribe,
        name="alert-unsubscribe",
    ),
    path("searches/", search_views.saved_search_list, name="saved-searches"),
    path(
        "searches/<int:search_id>/delete/",
        search_views.saved_search_delete,
        name="saved-search-delete",
    ),
    path("feeds/changes/", feeds.ChangesFeed(), name="feed-changes"),
    path("feeds/zones/<slug:slug>/", feeds.ZoneChangesFeed(), name="feed-zone"),
    path("feeds/provinces/<str:code>/", feeds.ProvinceChangesFeed(), name="feed-province"),
]
