"""Routes of the reports API under /api/v1/."""

from reports.api.views import QBRReportViewSet


def register(router) -> None:
    router.register("qbr-reports", QBRReportViewSet, basename="qbrreport")
