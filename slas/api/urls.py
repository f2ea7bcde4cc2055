"""Routes of the slas API under /api/v1/."""

from slas.api import views


def register(router) -> None:
    router.register("slas", views.SLAViewSet, basename="sla")
    router.register("measurements", views.MeasurementViewSet, basename="measurement")
    router.register("results", views.ResultViewSet, basename="result")
    router.register("breaches", views.BreachViewSet, basename="breach")
    router.register("credit-statements", views.CreditStatementViewSet, basename="credit-statement")
