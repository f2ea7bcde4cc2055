"""Imports run one way (issue #9): core ← vendors ← contracts ← slas ← governance, risks, ….

``core`` is what every app shares; it never imports a domain app, not even
inside a function. Apps reach the shell through ``core.registry`` (pages,
menu, API, panels, demo), and ``core`` finds the Vendor model through
``User.vendor`` when it must. This test reads every module of ``core`` with
``ast`` (no import runs), so a lazy import inside a function is caught too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def domain_apps() -> set[str]:
    """Every app folder of the project but core (and config, which is not an app)."""
    return {path.parent.name for path in ROOT.glob("*/apps.py")} - {"core"}


def imported_packages(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value.split(".")[0], node.lineno


def test_core_imports_no_domain_app():
    apps = domain_apps()
    assert {"vendors", "contracts", "slas", "demo"} <= apps
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {package}"
        for path in sorted((ROOT / "core").rglob("*.py"))
        if "migrations" not in path.parts
        for package, line in imported_packages(path)
        if package in apps
    ]
    assert found == []


def test_the_check_itself_sees_a_lazy_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from vendors.models import Vendor\n    return Vendor\n")
    assert list(imported_packages(module)) == [("vendors", 2)]


def test_the_demo_seed_lives_outside_core():
    assert not (ROOT / "core" / "demo").exists()
    assert (ROOT / "demo" / "management" / "commands" / "seed_demo.py").exists()
    assert "demo" in settings.INSTALLED_APPS


def test_testing_is_an_explicit_setting():
    """pytest turned it on through its plugin (``-p config.pytest_env``), not by being imported."""
    import os

    assert settings.TESTING is True
    assert os.environ["COVENANT_TESTING"] == "1"
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    assert "sys.modules" not in source
