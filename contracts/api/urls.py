"""Routes of the contracts API under /api/v1/."""

from contracts.api import views


def register(router) -> None:
    router.register("contracts", views.ContractViewSet, basename="contract")
    router.register("obligations", views.ObligationViewSet, basename="obligation")
    router.register("change-requests", views.ChangeRequestViewSet, basename="changerequest")
    router.register("exit-plans", views.ExitPlanViewSet, basename="exitplan")
    router.register("exit-steps", views.ExitStepViewSet, basename="exitstep")
    router.register("spend-records", views.SpendRecordViewSet, basename="spendrecord")
