from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("edit/<str:kind>/<int:pk>/", views.edit_record, name="edit"),
    path("updates/<int:pk>/", views.review, name="review"),
    path("updates/<int:pk>/approve/", views.approve, name="approve"),
    path("updates/<int:pk>/return/", views.return_update, name="return"),
]
