"""/delivery/: the national "announced vs delivered" page.

Its URL name is ``dashboards:delivery``, as it was before the page had an app of its own:
``config/urls.py`` mounts these patterns in the dashboards' namespace, next to theirs."""

from django.urls import path

from . import views

urlpatterns = [
    path("delivery/", views.national_delivery, name="delivery"),
]
