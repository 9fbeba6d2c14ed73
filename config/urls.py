from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import healthz
from config.language import set_language
from dashboards import urls as dashboards_urls
from delivery import urls as delivery_urls
from follow import urls as follow_urls
from investors import urls as investor_urls
from policy import urls as policy_urls
from zones import urls as zone_urls

#: /zones/ in one "zones" namespace (zones:finder, zones:compare, zones:detail …): the
#: investors' finder, exports and comparison first, so that the zone page's <slug>/ route
#: does not take /zones/compare/ for a zone.
ZONE_PAGES = ([*investor_urls.urlpatterns, *zone_urls.urlpatterns], "zones")

# Machine-facing URLs and the admin carry no language prefix.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # The language switcher: sets the cookie and reopens the same page in the chosen language.
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="zones/api_docs.html"
        ),
        name="api-docs",
    ),
    path("api/", include("zones.api.urls")),
]

# Pages for people: English at the public-contract URLs (/, /zones/…), Urdu under /ur/ and
# Simplified Chinese under /zh-hans/, so a shared link opens in the language it was shared in.
urlpatterns += i18n_patterns(
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("workspace/", include("workspace.urls")),
    path("zones/", include(ZONE_PAGES)),
    path("", include(follow_urls)),
    path("", include(policy_urls)),
    # The delivery page keeps its URL name in the dashboards' namespace (dashboards:delivery).
    path(
        "",
        include(
            (dashboards_urls.urlpatterns + delivery_urls.urlpatterns, dashboards_urls.app_name)
        ),
    ),
    prefix_default_language=False,
)

handler400 = "config.errors.bad_request"
handler500 = "config.errors.server_error"
