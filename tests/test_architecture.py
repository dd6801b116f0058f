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
