from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from calculations.api.views import EnergyView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/schema", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI is a page for people: anonymous visitors are sent to log in, then it reads the schema.
    # The split view serves its init script at /api/docs?script= (no inline script for the CSP). No Redoc page:
    # its bundle always loads its maker's logo from their CDN, which the CSP refuses (docs/serving.md).
    path("api/docs", login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
    path("docs", RedirectView.as_view(pattern_name="api-docs", permanent=False)),
    # The original brief's path, kept for existing clients.
    path("energy", EnergyView.as_view(), name="energy-legacy"),
    path("api/", include("calculations.api.urls")),
    path("runs/", include("calculations.urls")),
    path("methodology/", include("methodology.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", RedirectView.as_view(pattern_name="runs:list", permanent=False), name="home"),
]

# An unknown URL under /api/ answers the API's JSON error shape, not an HTML page.
handler404 = "calculations.api.errors.page_not_found"
handler500 = "calculations.api.errors.server_error"
