"""Routes of the sourcing API under /api/v1/, and the contracts' ``value`` action."""

from contracts.value_views import ContractValueViewSet
from sourcing.api import views


def register(router) -> None:
    router.register("sourcing-events", views.SourcingEventViewSet, basename="sourcingevent")
    router.register("criteria", views.CriterionViewSet, basename="criterion")
    router.register("candidates", views.CandidateViewSet, basename="candidate")
    router.register("proposals", views.ProposalViewSet, basename="proposal")
    router.register("due-diligence", views.DueDiligenceItemViewSet, basename="duediligenceitem")
    router.register("evaluators", views.EvaluatorAssignmentViewSet, basename="evaluatorassignment")
    router.register("scores", views.ScoreViewSet, basename="score")
    # GET /api/v1/contracts/{id}/value/: a detail action only (no list, no
    # retrieve), so it adds one route beside the contracts viewset's. Moved to
    # the front of the registry: the API root lists one link per prefix, the
    # last registered winning, and "contracts" must stay the contracts list.
    router.register("contracts", ContractValueViewSet, basename="contract-value")
    router.registry.insert(0, router.registry.pop())
