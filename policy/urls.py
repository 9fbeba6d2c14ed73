from django.urls import path

from .views import national_policy

app_name = "policy"

urlpatterns = [path("policy/", national_policy, name="national")]
