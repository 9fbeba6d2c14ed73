"""A zone's page under /zones/, in the "zones" URL namespace it shares with the investors'
finder, exports and comparison (see config/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/", views.zone_detail, name="detail"),
]
