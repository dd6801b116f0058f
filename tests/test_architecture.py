"""Architecture rules that keep the code base in the shape docs/architecture.md describes."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "minwon"
WRITE_METHODS = {
    "create",
    "bulk_create",
    "update",
    "bulk_update",
    "delete",
    "get_or_create",
    "update_or_create",
}
STDLIB = set(sys.stdlib_module_names)
# Pure modules may use the standard library, each other, and these (DESIGN.md).
PURE_ALLOWED_THIRD_PARTY = {"holidays"}


def _contexts() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.iterdir()
        if p.is_dir()
        and (p / "__init__.py").exists()
        and p.name not in {"templates", "static", "locale"}
    )


def test_import_contracts_hold() -> None:
    """import-linter: domain code is framework-free; layers inside a context point one way."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def _pure_modules() -> list[Path]:
    files = [p for ctx in _contexts() for p in ctx.glob("domain.py")]
    files += [p for ctx in _contexts() for p in (ctx / "domain").glob("*.py")]
    lawclock = PACKAGE / "lawclock"
    files += list(lawclock.glob("*.py")) if lawclock.exists() else []
    return files


@pytest.mark.parametrize("path", _pure_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_modules_import_only_the_standard_library(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            pure_sibling = (
                name.startswith("minwon.lawclock")
                or name.endswith(".domain")
                or (".domain." in name)
            )
            assert (
                top in STDLIB
                or top in PURE_ALLOWED_THIRD_PARTY
                or pure_sibling
                or (top == "__future__")
            ), f"{path.relative_to(ROOT)} imports {name}"


def _foreign_model_names(tree: ast.Module, own: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".models"):
            parts = node.module.split(".")
            if parts[0] == "minwon" and len(parts) == 3 and parts[1] not in {own, "core"}:
                names.update(alias.asname or alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("context", _contexts(), ids=lambda p: p.name)
def test_a_context_never_writes_another_contexts_models(context: Path) -> None:
    """Reads across contexts are fine; writes go through the owning context's services."""
    offences: list[str] = []
    for path in context.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        foreign = _foreign_model_names(tree, context.name)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            target = node.func.value
            # Model.objects.create(...), Model.objects.filter(...).update(...)
            while isinstance(target, ast.Call) and isinstance(target.func, ast.Attribute):
                target = target.func.value
            if (
                node.func.attr in WRITE_METHODS
                and isinstance(target, ast.Attribute)
                and target.attr == "objects"
                and isinstance(target.value, ast.Name)
                and target.value.id in foreign
            ):
                offences.append(
                    f"{path.relative_to(ROOT)}:{node.lineno} "
                    f"{target.value.id}.objects...{node.func.attr}()"
                )
    assert not offences, "call the owning context's service instead:\n" + "\n".join(offences)


# --- How contexts connect (issue 10) -------------------------------------------------------------

# Packages under minwon/ that are not contexts (Django's per-language format modules).
NOT_CONTEXTS = {"formats"}
# Web interfaces: their URL names belong to them and to the page modules mounted in their URLconfs.
WEB_NAMESPACES = ("portal", "office")

# Leaks the build still tolerates, each to be deleted by the change that fixes it (issue 10). A fixed
# leak left here fails its test, as an unmatched `ignore_imports` entry fails import-linter.
KNOWN_LEAKS: dict[str, set[str]] = {
    "urls": set(),
    "jobs": set(),
    "hooks": set(),
    "private": set(),
}


def _check(kind: str, context: Path, offences: set[str], advice: str) -> None:
    known = {k for k in KNOWN_LEAKS[kind] if k.startswith(f"minwon/{context.name}/")}
    new = offences - known
    assert not new, advice + ":\n" + "\n".join(sorted(new))
    fixed = known - offences
    assert not fixed, f"fixed, so delete from KNOWN_LEAKS[{kind!r}]: " + ", ".join(sorted(fixed))


def _top_level_contract_layers() -> list[str]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for contract in config["tool"]["importlinter"]["contracts"]:
        if contract.get("type") == "layers" and "containers" not in contract:
            return list(contract["layers"])
    raise AssertionError("pyproject.toml has no top-level layers contract")


def test_every_context_has_its_place_in_the_top_level_contract() -> None:
    """A new context must be placed in the dependency order when it is created."""
    placed = {
        name.strip().strip("()").removeprefix("minwon.")
        for layer in _top_level_contract_layers()
        for name in layer.split("|")
    }
    missing = [p.name for p in _contexts() if p.name not in placed | NOT_CONTEXTS]
    assert not missing, f"add {missing} to the top-level layers contract in pyproject.toml"


def _python_files(context: Path) -> list[Path]:
    return [
        p for p in context.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts
    ]


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _imported_modules(tree: ast.Module) -> set[str]:
    """Every module (and module.name) an import statement in the tree names, absolute imports only."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("context", _contexts(), ids=lambda p: p.name)
def test_only_web_pages_name_a_web_interfaces_urls(context: Path) -> None:
    """Services, APIs and jobs must not know the portal's or the office's URL names.

    Pages routed from those URLconfs (a context's ``views.py``) may: they are part of that site.
    """
    offences: set[str] = set()
    if context.name not in WEB_NAMESPACES:
        for path in _python_files(context):
            if path.name == "views.py" or path.parent.name == "views":
                continue
            for node in ast.walk(_tree(path)):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and node.value.startswith(tuple(f"{ns}:" for ns in WEB_NAMESPACES))
                ):
                    offences.add(f"{path.relative_to(ROOT)} {node.value!r}")
    _check("urls", context, offences, "pass the URL in from the interface instead")


@pytest.mark.parametrize("context", _contexts(), ids=lambda p: p.name)
def test_a_context_runs_only_its_own_jobs(context: Path) -> None:
    """Jobs are started by the one schedule (the wiring) or by their own context, never another."""
    offences: set[str] = set()
    for path in _python_files(context):
        for name in _imported_modules(_tree(path)):
            parts = name.split(".")
            foreign = parts[1:2] != [context.name] and parts[1:2] != ["core"]
            if len(parts) == 3 and parts[0] == "minwon" and parts[2] == "jobs" and foreign:
                offences.add(f"{path.relative_to(ROOT)} imports {name}")
    _check("jobs", context, offences, "put the job in the one schedule instead")


@pytest.mark.parametrize("context", _contexts(), ids=lambda p: p.name)
def test_no_context_registers_an_in_memory_hook_at_start_up(context: Path) -> None:
    """Reactions across contexts are durable rows picked up by jobs, not callbacks set in ready()."""
    offences: set[str] = set()
    apps = context / "apps.py"
    if apps.exists():
        for node in ast.walk(_tree(apps)):
            if isinstance(node, ast.FunctionDef) and node.name == "ready":
                body = ast.Module(body=node.body, type_ignores=[])
                offences |= {
                    f"{apps.relative_to(ROOT)} reaches into minwon.{name.split('.')[1]}"
                    for name in _imported_modules(body)
                    if name.startswith("minwon.") and name.split(".")[1] != context.name
                }
    _check("hooks", context, offences, "write a durable row that a scheduled job picks up")


@pytest.mark.parametrize("context", _contexts(), ids=lambda p: p.name)
def test_no_context_imports_another_contexts_private_names(context: Path) -> None:
    """`services.common` helpers and `_private` names stay inside their context."""
    offences: set[str] = set()
    for path in _python_files(context):
        for name in _imported_modules(_tree(path)):
            parts = name.split(".")
            if len(parts) < 3 or parts[0] != "minwon" or parts[1] == context.name:
                continue
            private = any(p.startswith("_") and not p.startswith("__") for p in parts[2:])
            if private or parts[2:4] == ["services", "common"]:
                offences.add(f"{path.relative_to(ROOT)} imports {'.'.join(parts[:4])}")
    _check("private", context, offences, "use the owning context's public functions")
