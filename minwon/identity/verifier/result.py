"""The outcome of one verification: named checks, and claims only when every check passed.

Fail closed: a `VerificationResult` is built by `CheckList.finish()`. The claims it is given are
kept only when every check is ok; otherwise they are dropped before the object exists, so no caller
can read a claim from a presentation that failed any check (`claims` raises `NotVerified`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


class NotVerified(Exception):
    """Claims were asked of a result that is not valid."""


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class VerificationResult:
    """`valid` is True only when at least one check ran and all of them passed."""

    format: str
    checks: tuple[Check, ...]
    issuer: str = ""  # DS/IACA subject or SD-JWT `iss` (no personal data)
    credential_type: str = ""  # mdoc docType or SD-JWT VC vct
    _claims: Mapping[str, Any] | None = field(default=None, repr=False)

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def status(self) -> str:
        return "valid" if self.valid else "invalid"

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(check.name for check in self.checks if not check.ok)

    @property
    def claims(self) -> Mapping[str, Any]:
        if not self.valid or self._claims is None:
            raise NotVerified(", ".join(self.failed) or "no checks ran")
        return self._claims

    def claim_names(self) -> list[str]:
        """Dotted names of the claims received (for the audit record; never the values)."""
        if not self.valid or self._claims is None:
            return []
        names: list[str] = []
        for key, value in self._claims.items():
            if self.format == "mdoc" and isinstance(value, Mapping):
                names.extend(f"{key}.{element}" for element in value)
            else:
                names.append(str(key))
        return sorted(names)

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def as_dict(self) -> dict[str, Any]:
        """The CLI's JSON document: claims only when valid."""
        out: dict[str, Any] = {
            "status": self.status,
            "format": self.format,
            "checks": [check.as_dict() for check in self.checks],
        }
        if self.issuer:
            out["issuer"] = self.issuer
        if self.credential_type:
            out["credential_type"] = self.credential_type
        if self.valid and self._claims is not None:
            out["claims"] = _thaw(self._claims)
        return out

    def __reduce__(self) -> Any:  # pragma: no cover - guard
        raise TypeError("verification results are not serialised; record the audit summary")


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_thaw(v) for v in value]
    return value


class CheckList:
    """Collects checks in order; `finish` gives the result (claims built only if all passed)."""

    def __init__(self, fmt: str) -> None:
        self.format = fmt
        self._checks: list[Check] = []
        self.issuer = ""
        self.credential_type = ""

    def ok(self, name: str, detail: str = "") -> None:
        self._checks.append(Check(name, True, detail))

    def fail(self, name: str, detail: str) -> None:
        self._checks.append(Check(name, False, detail))

    def add(self, name: str, ok: bool, detail: str) -> bool:
        self._checks.append(Check(name, ok, detail))
        return ok

    def skip(self, name: str, reason: str) -> None:
        """A check that could not run because an earlier one failed: counts as failed."""
        self._checks.append(Check(name, False, f"not checked: {reason}"))

    @property
    def all_ok(self) -> bool:
        return bool(self._checks) and all(c.ok for c in self._checks)

    def finish(self, claims: Callable[[], Mapping[str, Any]] | None) -> VerificationResult:
        frozen: Mapping[str, Any] | None = None
        if self.all_ok and claims is not None:
            frozen = MappingProxyType(dict(claims()))
        return VerificationResult(
            format=self.format,
            checks=tuple(self._checks),
            issuer=self.issuer,
            credential_type=self.credential_type,
            _claims=frozen,
        )
