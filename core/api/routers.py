"""One router for /api/v1/: each app's ``api/urls.py`` exposes ``register(router)``."""

from importlib import import_module

from rest_framework.routers import DefaultRouter

API_APPS = ("core", "vendors", "contracts", "slas", "governance", "risks")


def build_router() -> DefaultRouter:
    router = DefaultRouter()
    for app in API_APPS:
        try:
            module = import_module(f"{app}.api.urls")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.api.urls" and exc.name != f"{app}.api":
                raise
            continue
        module.register(router)
    return router
