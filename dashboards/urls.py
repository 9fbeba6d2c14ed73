from django.urls import path

from . import delivery_views, views

app_name = "dashboards"

urlpatterns = [
    path("", views.national, name="national"),
    path("provinces/<str:code>/", views.province, name="province"),
    path("delivery/", delivery_views.national_delivery, name="delivery"),
]
