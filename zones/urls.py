from django.urls import path

from . import views

app_name = "zones"

urlpatterns = [
    path("", views.zone_finder, name="finder"),
    path("export.csv", views.zone_export_csv, name="export-csv"),
    path("export.xlsx", views.zone_export_xlsx, name="export-xlsx"),
    path("compare/", views.zone_compare, name="compare"),
    path("<slug:slug>/", views.zone_detail, name="detail"),
]
