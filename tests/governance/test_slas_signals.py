"""slas announces, governance listens: slas imports no app above it (issue #10).

The evaluation's hook and the breach workflow's webhooks reach governance
through ``slas.signals``; governance connects its receivers in
``GovernanceConfig.ready()``. Read with ``ast`` like tests/core/test_layout.py,
so a lazy import inside a function is caught too.
"""

from __future__ import annotations

import weakref

from tests.core.test_layout import ROOT, imported_packages

ABOVE_SLAS = {"risks", "governance", "improvement", "sourcing", "reports", "demo"}


def test_slas_imports_no_app_above_it():
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {package}"
        for path in sorted((ROOT / "slas").rglob("*.py"))
        if "migrations" not in path.parts
        for package, line in imported_packages(path)
        if package in ABOVE_SLAS
    ]
    assert found == []


def test_governance_receives_the_slas_signals():
    from governance.notifying import breach_workflow_changed
    from governance.tasks import after_evaluation
    from slas.signals import breach_changed, evaluation_committed

    assert after_evaluation in _connected(evaluation_committed)
    assert breach_workflow_changed in _connected(breach_changed)


def _connected(signal) -> list:
    """The functions connected to ``signal`` (Django keeps weak references to them)."""
    refs = [entry[1] for entry in signal.receivers]
    return [r() if isinstance(r, weakref.ReferenceType) else r for r in refs]
