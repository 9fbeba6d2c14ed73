from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from policy.api import PolicyEventList

from .views import ZoneViewSet, api_not_found

app_name = "api"

router = DefaultRouter()
router.register("zones", ZoneViewSet, basename="zone")

# Anything else under /api/ is a JSON 404, as the schema documents, not an HTML page.
urlpatterns = [
    *router.urls,
    path("policy-events/", PolicyEventList.as_view(), name="policy-events"),
    re_path(r"^[\s\S]*$", api_not_found),
]
