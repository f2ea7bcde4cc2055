"""Imports run one way (issue #9): core ← notifications ← vendors ← contracts ← slas ←
risks ← governance ← improvement ← {sourcing, reports} ← demo (``LAYERS``).

``core`` is what every app shares; it never imports a domain app, not even
inside a function; every other app imports only apps of a lower layer, and
nothing imports ``demo``. Roles are compared by name in the permission rule
only. Apps reach the shell through ``core.registry`` (pages,
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


# -- the whole order, for every app -------------------------------------------------------
# Each app's layer; an app may import only apps of a lower layer (or itself).
# sourcing and reports share a layer and must not import each other.
LAYERS: dict[str, int] = {
    "core": 0,
    "notifications": 1,
    "vendors": 2,
    "contracts": 3,
    "slas": 4,
    "risks": 5,
    "governance": 6,
    "improvement": 7,
    "sourcing": 8,
    "reports": 8,
    "demo": 9,
}
# Edges still to remove. Nothing may be added here: a higher app serves a lower one
# through a signal of the lower app or a core.registry hook.
KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()


def upward_imports(root: Path = ROOT) -> list[str]:
    """Every import of an app at or above the importing app's layer (its own app aside)."""
    found = []
    for app, layer in LAYERS.items():
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = str(path.relative_to(root))
            for package, line in imported_packages(path):
                if package == app or package not in LAYERS:
                    continue
                if LAYERS[package] >= layer and (relative, package) not in KNOWN_EXCEPTIONS:
                    found.append(f"{relative}:{line} imports {package}")
    return found


def test_every_app_has_a_layer():
    assert domain_apps() | {"core"} == set(LAYERS)


def test_imports_run_one_way():
    assert upward_imports() == []


def test_the_layer_check_sees_an_upward_and_a_sideways_import(tmp_path):
    (tmp_path / "vendors").mkdir()
    (tmp_path / "vendors" / "x.py").write_text("def f():\n    from slas import credits\n")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "y.py").write_text("import sourcing.models\nimport slas\n")
    assert upward_imports(tmp_path) == [
        "vendors/x.py:2 imports slas",
        "reports/y.py:1 imports sourcing",
    ]


def test_nothing_imports_demo():
    """demo is the top: the seeding framework the apps use is ``core.seeding``."""
    found = [line for line in upward_imports() if line.endswith("imports demo")]
    assert found == []
    assert not (ROOT / "demo" / "base.py").exists()
    assert (ROOT / "core" / "seeding.py").exists()


# -- no role compared by name outside the permission rule ---------------------------------
# Where role names may be compared: the rule itself, the roles, user administration
# (core/services.py), management commands and the demo seed.
ROLE_NAMES_ALLOWED = {"core/permissions.py", "core/roles.py", "core/services.py"}
# Still to change. Nothing may be added here.
ROLE_NAMES_PENDING: set[str] = set()


def role_comparisons(path: Path) -> list[int]:
    """Lines of ``path`` comparing a role by name: ``role_of(u) == roles.X``,
    ``role in roles.WRITERS``, ``groups__name=roles.X``, ``groups.filter(name=…)``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    from_roles = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "core.roles"
        for alias in node.names
    }

    def names_a_role(node: ast.AST) -> bool:
        return any(
            (isinstance(n, ast.Attribute) and getattr(n.value, "id", None) == "roles")
            or (isinstance(n, ast.Name) and n.id in from_roles)
            for n in ast.walk(node)
        )

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and names_a_role(node):
            lines.append(node.lineno)
        elif (
            isinstance(node, ast.keyword)
            and node.arg
            and (
                node.arg.startswith("groups__name")
                or (node.arg == "name" and names_a_role(node.value))
            )
        ):
            lines.append(node.value.lineno)
    return sorted(lines)


def test_no_role_is_compared_by_name_outside_the_permission_rule():
    found = []
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if (
                str(relative) in ROLE_NAMES_ALLOWED | ROLE_NAMES_PENDING
                or app == "demo"
                or "migrations" in path.parts
                or "commands" in path.parts
            ):
                continue
            found += [f"{relative}:{line}" for line in role_comparisons(path)]
    assert found == []


def test_the_role_check_sees_each_form(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "from core import roles\n"
        "from core.roles import EXECUTIVE, role_of\n"
        "a = roles.role_of(u) == roles.VENDOR_USER\n"
        "b = role in roles.WRITERS\n"
        "c = User.objects.filter(groups__name=roles.EXECUTIVE)\n"
        "d = role_of(u) != EXECUTIVE\n"
        "e = u.groups.filter(name=roles.ADMIN)\n"
        "f = permissions.is_vendor_side(u) == flag\n"
    )
    assert role_comparisons(module) == [3, 4, 5, 6, 7]
