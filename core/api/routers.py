"""One router for /api/v1/: each registered app's API module exposes ``register(router)``."""

from rest_framework.routers import DefaultRouter

from core import registry


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    registry.resolve("core.api.urls").register(router)
    for app in registry.apps():
        if app.api:
            registry.resolve(app.api).register(router)
    return router
