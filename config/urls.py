"""URLs: pages per registered app, the REST API under /api/v1/, its schema and docs, the admin."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import registry
from core.api.routers import build_router
from core.api.views import api_not_found

router = build_router()

urlpatterns = [
    path("", include("core.urls")),
    *[
        path(app.url_prefix, include(app.urls))
        for app in registry.apps()
        if app.url_prefix is not None
    ],
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Last under /api/: anything unknown there is a JSON 404, not the HTML page.
    re_path(r"^api/(?P<path>.*)$", api_not_found),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
