"""Routes of the vendors API under /api/v1/."""

from vendors.api import views


def register(router) -> None:
    router.register("vendors", views.VendorViewSet, basename="vendor")
    router.register("certifications", views.CertificationViewSet, basename="certification")
    router.register("contacts", views.ContactViewSet, basename="contact")
