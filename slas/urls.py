"""Pages of the slas app under /slas/."""

from django.urls import path

from slas import views

app_name = "slas"
urlpatterns = [
    path("", views.SLAListView.as_view(), name="sla_list"),
    path("add/", views.SLACreateView.as_view(), name="sla_add"),
    path("<int:pk>/", views.SLADetailView.as_view(), name="sla_detail"),
    path("<int:pk>/edit/", views.SLAUpdateView.as_view(), name="sla_edit"),
    path("<int:pk>/delete/", views.SLADeleteView.as_view(), name="sla_delete"),
    path("<int:pk>/history/", views.SLAHistoryView.as_view(), name="sla_history"),
    path("measurements/", views.MeasurementListView.as_view(), name="measurement_list"),
    path("measurements/add/", views.MeasurementCreateView.as_view(), name="measurement_add"),
    path("measurements/import/", views.MeasurementImportView.as_view(), name="measurement_import"),
    path(
        "measurements/template/",
        views.MeasurementTemplateView.as_view(),
        name="measurement_template",
    ),
    path(
        "measurements/<int:pk>/", views.MeasurementDetailView.as_view(), name="measurement_detail"
    ),
    path(
        "measurements/<int:pk>/edit/",
        views.MeasurementUpdateView.as_view(),
        name="measurement_edit",
    ),
    path(
        "measurements/<int:pk>/delete/",
        views.MeasurementDeleteView.as_view(),
        name="measurement_delete",
    ),
    path(
        "measurements/<int:pk>/history/",
        views.MeasurementHistoryView.as_view(),
        name="measurement_history",
    ),
    path("breaches/", views.BreachListView.as_view(), name="breach_list"),
    path("breaches/<int:pk>/", views.BreachDetailView.as_view(), name="breach_detail"),
    path("breaches/<int:pk>/history/", views.BreachHistoryView.as_view(), name="breach_history"),
    path(
        "breaches/<int:pk>/<slug:action>/",
        views.BreachTransitionView.as_view(),
        name="breach_transition",
    ),
    path("credits/", views.CreditListView.as_view(), name="credit_list"),
    path(
        "scorecard/contract/<int:pk>/",
        views.ContractScorecardView.as_view(),
        name="contract_scorecard",
    ),
    path(
        "scorecard/vendor/<int:pk>/", views.VendorScorecardView.as_view(), name="vendor_scorecard"
    ),
]
