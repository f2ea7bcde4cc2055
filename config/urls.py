"""URLs: pages per app, the REST API under /api/v1/, its schema and docs, the admin."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.api.routers import build_router

router = build_router()

urlpatterns = [
    path("", include("core.urls")),
    path("vendors/", include("vendors.urls")),
    path("contracts/", include("contracts.urls")),
    path("slas/", include("slas.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
