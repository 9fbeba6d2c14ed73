"""The investors' pages under /zones/: the finder, the exports and the comparison.

They share the "zones" URL namespace with a zone's page (``zones:finder``,
``zones:export-csv`` … are public names); config/urls.py mounts them before the zone page's
``<slug>/`` route, which would otherwise take /zones/compare/ for a zone.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.zone_finder, name="finder"),
    path("export.csv", views.zone_export_csv, name="export-csv"),
    path("export.xlsx", views.zone_export_xlsx, name="export-xlsx"),
    path("compare/", views.zone_compare, name="compare"),
]
