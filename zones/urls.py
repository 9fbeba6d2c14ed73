from django.urls import path

from . import views

app_name = "zones"

urlpatterns = [
    path("<slug:slug>/", views.zone_detail, name="detail"),
]
