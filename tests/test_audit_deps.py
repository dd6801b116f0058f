"""scripts/audit_deps.py: the offline vulnerability check reads OSV records the way OSV defines them.

The records here are written for the test (shaped like the PyPA advisory database's); they prove
the range evaluation and the sources, not the advisories themselves.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit_deps"] = module
    spec.loader.exec_module(module)
    return module


audit = _load()

RANGED = """
id: TEST-2024-1
affected:
- package: {name: Django, ecosystem: PyPI}
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "4.2"
    - fixed: "4.2.16"
    - introduced: "5.0"
    - fixed: "5.0.9"
"""
LAST_AFFECTED = """
id: TEST-2024-2
affected:
- package: {name: pillow, ecosystem: PyPI}
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "0"
    - last_affected: "10.2.0"
"""
LISTED = """
id: TEST-2024-3
affected:
- package: {name: pyotp, ecosystem: PyPI}
  versions: ["2.8.0"]
"""
WITHDRAWN = """
id: TEST-2024-4
withdrawn: "2024-05-01T00:00:00Z"
affected:
- package: {name: pyotp, ecosystem: PyPI}
  versions: ["2.9.0"]
"""


def _folder(tmp_path: Path) -> Path:
    for name, record in [
        ("django", RANGED),
        ("pillow", LAST_AFFECTED),
        ("pyotp", LISTED),
        ("pyotp", WITHDRAWN),
    ]:
        folder = tmp_path / "db" / "vulns" / name
        folder.mkdir(parents=True, exist_ok=True)
        ident = record.split("id: ", 1)[1].split()[0]
        (folder / f"{ident}.yaml").write_text(record, encoding="utf-8")
    return tmp_path / "db"


def _lock(tmp_path: Path, *pins: str) -> Path:
    lock = tmp_path / "test.lock"
    lines = [f"{pin} \\\n    --hash=sha256:{'0' * 64}" for pin in pins]
    lock.write_text("# header\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return lock


@pytest.mark.parametrize(
    ("version", "fixed"),
    [
        ("4.1.9", None),
        ("4.2", "4.2.16"),
        ("4.2.15", "4.2.16"),
        ("4.2.16", None),
        ("5.0.8", "5.0.9"),
    ],
)
def test_ranges_are_walked_in_version_order(version: str, fixed: str | None) -> None:
    import yaml

    assert audit.affects(yaml.safe_load(RANGED), "django", version) == fixed


@pytest.mark.parametrize(("version", "hit"), [("10.2.0", True), ("9.0.0", True), ("10.3.0", False)])
def test_last_affected_includes_that_version_only(version: str, hit: bool) -> None:
    import yaml

    assert (audit.affects(yaml.safe_load(LAST_AFFECTED), "pillow", version) is not None) is hit


def test_listed_versions_hit_and_withdrawn_records_never_do(tmp_path: Path) -> None:
    snapshot = audit.Snapshot(_folder(tmp_path))
    report = audit.audit_snapshot({"pyotp": "2.8.0"}, snapshot)
    assert [f.advisory for f in report.findings] == ["TEST-2024-3"]
    assert audit.audit_snapshot({"pyotp": "2.9.0"}, snapshot).findings == []


def test_lock_names_are_normalised_and_pins_read(tmp_path: Path) -> None:
    lock = _lock(tmp_path, "Django==4.2.1", "zope.interface==7.0", "typing_extensions==4.12.2")
    assert audit.read_lock(lock) == {
        "django": "4.2.1",
        "zope-interface": "7.0",
        "typing-extensions": "4.12.2",
    }


def test_offline_run_lists_findings_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = _lock(tmp_path, "django==4.2.1", "pillow==11.0.0")
    code = audit.main([str(lock), "--offline", "--snapshot", str(_folder(tmp_path))])
    out = capsys.readouterr().out
    assert code == 1
    assert "2 locked packages checked against PyPA advisory database snapshot" in out
    assert "VULNERABLE django==4.2.1: TEST-2024-1 (fixed in 4.2.16)" in out
    assert "pillow" not in out.split("checked against", 1)[1].split("\n", 1)[1]


def test_a_clean_lock_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lock = _lock(tmp_path, "django==5.2.19")
    assert audit.main([str(lock), "--offline", "--snapshot", str(_folder(tmp_path))]) == 0
    assert "0 known vulnerabilities" in capsys.readouterr().out


def test_no_source_says_not_audited(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lock = _lock(tmp_path, "django==5.2.19")
    assert audit.main([str(lock), "--offline", "--snapshot", str(tmp_path / "none")]) == 3
    assert "NOT AUDITED" in capsys.readouterr().out


def test_a_bare_git_snapshot_is_read_and_dated(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q", str(folder)], check=True)
    subprocess.run([*git, "-C", str(folder), "add", "vulns"], check=True)
    subprocess.run([*git, "-C", str(folder), "commit", "-qm", "snapshot"], check=True)
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(folder), str(bare)], check=True)
    snapshot = audit.Snapshot(bare)
    assert snapshot.git
    assert " of " in snapshot.dated()
    report = audit.audit_snapshot({"django": "5.0.1"}, snapshot)
    assert [(f.advisory, f.fixed) for f in report.findings] == [("TEST-2024-1", "5.0.9")]
