"""Pages of the slas app, one module per area (definitions, measurements, breaches, reports)."""

from slas.views.breaches import (
    BreachDetailView,
    BreachHistoryView,
    BreachListView,
    BreachTransitionView,
)
from slas.views.definitions import (
    SLACreateView,
    SLADeleteView,
    SLADetailView,
    SLAHistoryView,
    SLAListView,
    SLAUpdateView,
)
from slas.views.measurements import (
    MeasurementCreateView,
    MeasurementDeleteView,
    MeasurementDetailView,
    MeasurementHistoryView,
    MeasurementImportView,
    MeasurementListView,
    MeasurementTemplateView,
    MeasurementUpdateView,
)
from slas.views.reports import ContractScorecardView, CreditListView, VendorScorecardView

__all__ = [
    "BreachDetailView",
    "BreachHistoryView",
    "BreachListView",
    "BreachTransitionView",
    "ContractScorecardView",
    "CreditListView",
    "MeasurementCreateView",
    "MeasurementDeleteView",
    "MeasurementDetailView",
    "MeasurementHistoryView",
    "MeasurementImportView",
    "MeasurementListView",
    "MeasurementTemplateView",
    "MeasurementUpdateView",
    "SLACreateView",
    "SLADeleteView",
    "SLADetailView",
    "SLAHistoryView",
    "SLAListView",
    "SLAUpdateView",
    "VendorScorecardView",
]
