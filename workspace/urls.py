from django.urls import path

from .evidence import views as evidence_views
from .imports import views as import_views
from .review import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("edit/<str:kind>/<int:pk>/", views.edit_record, name="edit"),
    path("updates/<int:pk>/", views.review, name="review"),
    path("updates/<int:pk>/approve/", views.approve, name="approve"),
    path("updates/<int:pk>/return/", views.return_update, name="return"),
    path("imports/", import_views.upload, name="import_upload"),
    path("imports/template.xlsx", import_views.template_workbook, name="import_template"),
    path("imports/<int:pk>/", import_views.job_detail, name="import_job"),
    path("imports/<int:pk>/status/", import_views.job_status, name="import_status"),
    path("imports/<int:pk>/apply/", import_views.job_apply, name="import_apply"),
    path("imports/<int:pk>/retry/", import_views.job_retry, name="import_retry"),
    path("imports/<int:pk>/review/", import_views.batch_review, name="import_review"),
    path("imports/<int:pk>/approve/", import_views.batch_approve, name="import_approve"),
    path("imports/<int:pk>/return/", import_views.batch_return, name="import_return"),
    path("updates/<int:pk>/evidence/", evidence_views.attach, name="evidence_attach"),
    path("evidence/<int:pk>/", evidence_views.download, name="evidence_download"),
]
