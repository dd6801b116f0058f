"""Check the locked Python versions against known vulnerabilities (issue 13, supply chain).

    python scripts/audit_deps.py requirements/dev.lock [--snapshot PATH] [--offline]

First pip-audit asks PyPI's vulnerability service about every pinned version. When that service
cannot be reached, or answers for none of the packages (a registry mirror without the JSON API),
the check reads a local snapshot of the PyPA advisory database instead (OSV records,
https://github.com/pypa/advisory-database): a checked-out folder or a bare git directory, from
``--snapshot``, ``MINWON_ADVISORY_DB`` or ``~/.cache/minwon/advisory-database``. The report always
says which source answered and, for a snapshot, the date of its newest commit, because advisories
published after that date were not checked.

Exit status: 0 no known vulnerability, 1 known vulnerabilities (listed), 3 nothing could be audited
(no source reachable; the report says NOT AUDITED).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")
DEFAULT_SNAPSHOT = Path.home() / ".cache" / "minwon" / "advisory-database"


@dataclass(frozen=True)
class Finding:
    name: str
    version: str
    advisory: str
    fixed: str


@dataclass(frozen=True)
class Report:
    source: str
    audited: int
    findings: list[Finding]


def normalise(name: str) -> str:
    """PEP 503 name normalisation: Django, django and DJANGO are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins[normalise(match.group(1))] = match.group(2)
    return pins


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _in_range(version: Version, events: list[dict[str, str]]) -> bool:
    """OSV's ECOSYSTEM range evaluation: walk the events in version order."""

    def key(event: dict[str, str]) -> Version:
        text = next(iter(event.values()))
        return Version("0") if text == "0" else (_version(text) or Version("0"))

    affected = False
    for event in sorted(events, key=key):
        if "introduced" in event and version >= key(event):
            affected = True
        elif ("fixed" in event and version >= key(event)) or (
            "last_affected" in event and version > key(event)
        ):
            affected = False
    return affected


def affects(advisory: dict[str, Any], name: str, version: str) -> str | None:
    """The fixed version (or "" when none is known) if the advisory covers name==version."""
    if advisory.get("withdrawn"):
        return None
    parsed = _version(version)
    for entry in advisory.get("affected", []):
        package = entry.get("package", {})
        if package.get("ecosystem") != "PyPI" or normalise(package.get("name", "")) != name:
            continue
        listed = {str(v) for v in entry.get("versions", [])}
        hit = version in listed
        fixes: list[Version] = []
        for rng in entry.get("ranges", []):
            if rng.get("type") != "ECOSYSTEM":
                continue
            events = [{k: str(v)} for e in rng.get("events", []) for k, v in e.items()]
            fixes += [f for e in events if "fixed" in e and (f := _version(e["fixed"]))]
            if parsed is not None and _in_range(parsed, events):
                hit = True
        if hit:
            later = sorted(f for f in fixes if parsed is None or f > parsed)
            return str(later[0]) if later else ""
    return None


class Snapshot:
    """The advisory database as a folder (vulns/<name>/*.yaml) or a bare git directory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.git = not (path / "vulns").is_dir() and (path / "HEAD").is_file()
        if not self.git and not (path / "vulns").is_dir():
            raise FileNotFoundError(f"{path} holds no advisory database (no vulns/ folder)")

    def _git(self, *args: str) -> str:
        return subprocess.run(
            ["git", f"--git-dir={self.path}", *args],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def dated(self) -> str:
        if self.git:
            return self._git("log", "-1", "--format=%h of %cs").strip()
        return "folder (date unknown)"

    def advisories(self, name: str) -> Iterator[dict[str, Any]]:
        if self.git:
            listing = self._git("ls-tree", "--name-only", "HEAD", f"vulns/{name}/")
            for file in listing.splitlines():
                if file.endswith((".yaml", ".yml", ".json")):
                    yield yaml.safe_load(self._git("show", f"HEAD:{file}"))
            return
        folder = self.path / "vulns" / name
        if folder.is_dir():
            for record in sorted(folder.iterdir()):
                if record.suffix in {".yaml", ".yml", ".json"}:
                    yield yaml.safe_load(record.read_text(encoding="utf-8"))


def audit_snapshot(pins: dict[str, str], snapshot: Snapshot) -> Report:
    findings = [
        Finding(name, version, advisory.get("id", "?"), fixed)
        for name, version in sorted(pins.items())
        for advisory in snapshot.advisories(name)
        if (fixed := affects(advisory, name, version)) is not None
    ]
    source = f"PyPA advisory database snapshot {snapshot.dated()} at {snapshot.path}"
    return Report(source, len(pins), findings)


def audit_online(lock: Path) -> Report | None:
    """pip-audit against PyPI's vulnerability service; None when it answered for no package."""
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [str(pip_audit), "-r", str(lock), "--require-hashes", "--disable-pip", "-s", "pypi"]
    command += ["--progress-spinner", "off", "-f", "json", "--timeout", "20"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        answer = json.loads(done.stdout)
    except (OSError, subprocess.TimeoutExpired, json.JSONDecodeError):
        return None
    deps = answer.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    if not audited:
        return None
    findings = [
        Finding(normalise(d["name"]), d["version"], v["id"], ", ".join(v.get("fix_versions", [])))
        for d in audited
        for v in d.get("vulns", [])
    ]
    skipped = len(deps) - len(audited)
    note = f" ({skipped} packages not known there)" if skipped else ""
    return Report(f"PyPI vulnerability service (pip-audit){note}", len(audited), findings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lock", type=Path)
    parser.add_argument("--snapshot", type=Path, help="advisory database folder or git directory")
    parser.add_argument("--offline", action="store_true", help="do not ask PyPI; snapshot only")
    args = parser.parse_args(argv)
    pins = read_lock(args.lock)
    report = None if args.offline else audit_online(args.lock)
    if report is None:
        path = args.snapshot or Path(os.environ.get("MINWON_ADVISORY_DB", DEFAULT_SNAPSHOT))
        try:
            report = audit_snapshot(pins, Snapshot(path.expanduser().resolve()))
        except (FileNotFoundError, subprocess.CalledProcessError) as exc:
            print(f"audit-deps: NOT AUDITED: PyPI's vulnerability service gave no answer and {exc}")
            return 3
    print(f"audit-deps: {report.audited} locked packages checked against {report.source}")
    for f in report.findings:
        fixed = f"fixed in {f.fixed}" if f.fixed else "no fixed version known"
        print(f"audit-deps: VULNERABLE {f.name}=={f.version}: {f.advisory} ({fixed})")
    print(f"audit-deps: {len(report.findings)} known vulnerabilities")
    return 1 if report.findings else 0


if __name__ == "__main__":
    sys.exit(main())
