"""The pages of following and reuse: the change log and its feeds."""

from django.urls import path

from . import views

app_name = "follow"

urlpatterns = [
    path("changes/", views.change_log, name="changes"),
]
