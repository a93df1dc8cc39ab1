from __future__ import annotations

from importlib import import_module

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from board.forms import LoginForm

from .api import api
from .converters import YearConverter
from .health import healthz

# Before the apps' URLconfs are included: they use <year:year>.
register_converter(YearConverter, "year")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("konto/logga-in/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

# Each app that has pages contributes its urls module; the registry owns "/".
for app in ("minutes", "finance", "interventions"):
    try:
        import_module(f"{app}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.urls":
            raise
        continue
    urlpatterns.append(path("", include(f"{app}.urls")))
urlpatterns.append(path("", include("minutes.public.urls")))  # public pages, namespace "public"
urlpatterns.append(path("", include("board.urls")))

# No address serves MEDIA_ROOT, not even in development (DEBUG): handlingar, PDFs and uploads
# are streamed by views after their access check (tests/test_infrastructure.py).

# A request refused before any view (e.g. a Host not allowed): JSON for the API, HTML elsewhere.
handler400 = "config.errors.bad_request"
