"""Read and check the programme catalogue (``data/``) into ``domain.catalogue.Catalogue``.

``data/parameters/<folder>/<file>.yaml`` are OpenFisca parameter files: a node is a mapping whose
keys are child nodes (besides ``description``, ``metadata`` and ``documentation``), a leaf has
``values: {date: value}`` (a value may also be ``{value: …}``, and ``null`` stops a parameter, as
in openfisca-core). A leaf is named by its path: ``national.parental_benefit.age_0``.
``data/programmes.yaml`` holds the programmes (their rules name parameters), documents and
exclusions; ``data/bundles.yaml`` the bundles. Everything is checked on loading, and a mistake is
one ``CatalogueError`` naming the file and the place: a rule naming a missing parameter, a bundle
naming a missing programme, a value that is not a whole number, dates out of order.

No Django: ``minwon benefits evaluate`` runs on this alone (import-linter contract).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from minwon.benefits.domain.catalogue import (
    Bundle,
    BundleMember,
    Catalogue,
    DocumentRequirement,
    Exclusion,
    LegalBasis,
    Programme,
    SupportType,
    Tier,
)
from minwon.benefits.domain.eligibility import (
    Band,
    MonthlyRule,
    OneOffRule,
    OrderAmount,
    ResidenceRule,
    Window,
)
from minwon.benefits.domain.parameters import Parameter, ParameterNode
from minwon.benefits.domain.reasons import Text

__all__ = ["DATA", "CatalogueError", "catalogue_default", "catalogue_load"]

DATA = Path(__file__).with_name("data")
_NODE_KEYS = {"description", "metadata", "documentation"}


class CatalogueError(ValueError):
    """The catalogue data is wrong: the message names the file and the place."""


def _yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as stream:
            return yaml.safe_load(stream)
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: not valid YAML ({exc})") from exc
    except ValueError as exc:  # an impossible date such as 2024-13-01 in a YAML timestamp
        raise CatalogueError(f"{path}: not a date ({exc})") from exc


def _date(value: object, where: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise CatalogueError(f"{where}: {value!r} is not a date (YYYY-MM-DD)")


def _leaf(name: str, node: Mapping[str, Any], where: str) -> Parameter:
    values = node["values"]
    if not isinstance(values, Mapping) or not values:
        raise CatalogueError(f"{where}: `values` must be a mapping of dates to values")
    dated: list[tuple[date, int | None]] = []
    for key, raw in values.items():
        day = _date(key, f"{where}.values")
        value = raw.get("value") if isinstance(raw, Mapping) else raw
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise CatalogueError(f"{where}.values.{day}: {value!r} is not a whole number")
        if value is not None and value < 0:
            raise CatalogueError(f"{where}.values.{day}: {value} is negative")
        dated.append((day, value))
    dated.sort()
    metadata = node.get("metadata") or {}
    if not isinstance(metadata, Mapping):
        raise CatalogueError(f"{where}: `metadata` must be a mapping")
    return Parameter(
        name=name,
        values=tuple(dated),
        description=str(node.get("description", "")),
        reference=str(metadata.get("reference", "")),
        unit=str(metadata.get("unit", "")),
    )


def _walk(prefix: str, node: object, where: str, out: dict[str, Parameter]) -> None:
    if not isinstance(node, Mapping):
        raise CatalogueError(f"{where}: expected a mapping, found {type(node).__name__}")
    if "values" in node:
        out[prefix] = _leaf(prefix, node, where)
        return
    for key, child in node.items():
        if key in _NODE_KEYS:
            continue
        _walk(f"{prefix}.{key}", child, f"{where}.{key}", out)


def _parameters(root: Path) -> ParameterNode:
    found: dict[str, Parameter] = {}
    for path in sorted((root / "parameters").glob("*/*.yaml")):
        prefix = f"{path.parent.name}.{path.stem}"
        _walk(prefix, _yaml(path), str(path.relative_to(root)), found)
    return ParameterNode(found)


def _text(raw: object, where: str) -> Text:
    if not isinstance(raw, Mapping) or not all(
        isinstance(raw.get(k), str) and raw.get(k) for k in ("ko", "en")
    ):
        raise CatalogueError(f"{where}: needs `ko` and `en` texts")
    return Text(ko=raw["ko"], en=raw["en"])


def _need_parameter(params: ParameterNode, name: object, where: str) -> str:
    if not isinstance(name, str) or name not in params:
        raise CatalogueError(f"{where}: no parameter {name!r} in parameters/")
    return name


def _residence(raw: object, where: str) -> ResidenceRule | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise CatalogueError(f"{where}: expected a mapping")
    prefixes = raw.get("sigungu_prefixes")
    if (
        not isinstance(prefixes, list)
        or not prefixes
        or not all(isinstance(p, str) and p.isdigit() and 1 <= len(p) <= 5 for p in prefixes)
    ):
        raise CatalogueError(f"{where}.sigungu_prefixes: a list of 행정구역 code prefixes")
    since = raw.get("since", "none")
    if since not in ("none", "birth_registration"):
        raise CatalogueError(f"{where}.since: `none` or `birth_registration`, not {since!r}")
    return ResidenceRule(_text(raw, where), tuple(prefixes), since)


def _int(raw: Mapping[str, Any], key: str, where: str, default: int | None = None) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CatalogueError(f"{where}.{key}: a whole number of at least 0, not {value!r}")
    return int(value)


def _rule(raw: object, params: ParameterNode, where: str) -> MonthlyRule | OneOffRule | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise CatalogueError(f"{where}: expected a mapping")
    kind = raw.get("kind")
    residence = _residence(raw.get("residence"), f"{where}.residence")
    if kind == "monthly_by_age":
        bands = []
        for i, band in enumerate(raw.get("bands") or []):
            at = f"{where}.bands[{i}]"
            until_parameter = band.get("until_parameter", "")
            if until_parameter:
                _need_parameter(params, until_parameter, f"{at}.until_parameter")
            bands.append(
                Band(
                    label=_text(band, at) if "ko" in band or "en" in band else None,
                    from_month=_int(band, "from_month", at),
                    amount=_need_parameter(params, band.get("amount"), f"{at}.amount"),
                    until_month=_int(band, "until_month", at, 0),
                    until_parameter=until_parameter,
                )
            )
        if not bands:
            raise CatalogueError(f"{where}.bands: at least one band")
        retro = _need_parameter(params, raw.get("retro_window"), f"{where}.retro_window")
        return MonthlyRule(tuple(bands), retro, residence=residence)
    if kind == "one_off":
        amounts = []
        for i, entry in enumerate(raw.get("amounts") or []):
            at = f"{where}.amounts[{i}]"
            instalments = entry.get("instalments")
            if not isinstance(instalments, list) or not instalments:
                raise CatalogueError(f"{at}.instalments: a list of parameter names")
            amounts.append(
                OrderAmount(
                    min_order=_int(entry, "min_order", at),
                    label=_text(entry, at),
                    instalments=tuple(
                        _need_parameter(params, p, f"{at}.instalments") for p in instalments
                    ),
                )
            )
        orders = [a.min_order for a in amounts]
        if not orders or orders[0] != 1 or orders != sorted(set(orders)):
            raise CatalogueError(f"{where}.amounts: ascending birth orders starting at 1")
        w = raw.get("window")
        if not isinstance(w, Mapping) or w.get("anchor") not in ("birth", "birth_registration"):
            raise CatalogueError(f"{where}.window: needs anchor `birth` or `birth_registration`")
        years_parameter = w.get("years_parameter", "")
        if years_parameter:
            _need_parameter(params, years_parameter, f"{where}.window.years_parameter")
        window = Window(
            anchor=w["anchor"],
            years=_int(w, "years", f"{where}.window", 0),
            months=_int(w, "months", f"{where}.window", 0),
            days=_int(w, "days", f"{where}.window", 0),
            years_parameter=years_parameter,
        )
        if not (window.years or window.months or window.days or years_parameter):
            raise CatalogueError(f"{where}.window: needs years, months, days or years_parameter")
        return OneOffRule(tuple(amounts), window, residence=residence)
    raise CatalogueError(f"{where}.kind: `monthly_by_age` or `one_off`, not {kind!r}")


def _programme(
    code: str,
    raw: object,
    params: ParameterNode,
    documents: Mapping[str, DocumentRequirement],
    where: str,
) -> Programme:
    if not isinstance(raw, Mapping):
        raise CatalogueError(f"{where}: expected a mapping")
    support_raw = raw.get("support_type")
    try:
        support = SupportType(str(support_raw))
    except ValueError:
        raise CatalogueError(
            f"{where}.support_type: one of {', '.join(SupportType)}, not {support_raw!r}"
        ) from None
    docs = raw.get("documents") or []
    for doc in docs:
        if doc not in documents:
            raise CatalogueError(f"{where}.documents: no document {doc!r} in `documents:`")
    basis = raw.get("legal_basis") or []
    if not basis:
        raise CatalogueError(f"{where}.legal_basis: at least one law")
    level = raw.get("level")
    if level not in ("national", "sido", "sigungu"):
        raise CatalogueError(f"{where}.level: national, sido or sigungu, not {level!r}")
    return Programme(
        code=code,
        name=_text(raw.get("name"), f"{where}.name"),
        level=level,
        jurisdiction=str(raw.get("jurisdiction", "")),
        support_type=support,
        processing_body=_text(raw.get("processing_body"), f"{where}.processing_body"),
        legal_basis=tuple(
            LegalBasis(str(b.get("law", "")), str(b.get("article", ""))) for b in basis
        ),
        documents=tuple(docs),
        rule=_rule(raw.get("rule"), params, f"{where}.rule"),
        external_ids={str(k): str(v) for k, v in (raw.get("external_ids") or {}).items()},
        processing_days=_int(raw, "processing_days", where, 0),
    )


def catalogue_load(root: Path = DATA) -> Catalogue:
    """The catalogue under ``root``, checked (``CatalogueError`` on the first mistake)."""
    params = _parameters(root)
    data = _yaml(root / "programmes.yaml")
    if not isinstance(data, Mapping) or not isinstance(data.get("programmes"), Mapping):
        raise CatalogueError("programmes.yaml: needs a `programmes:` mapping")
    documents = {
        code: DocumentRequirement(
            code,
            _text(raw, f"programmes.yaml: documents.{code}"),
            str(raw.get("checked_by", "self")),
            str(raw.get("substitutable_by", "")),
        )
        for code, raw in (data.get("documents") or {}).items()
    }
    programmes = {
        code: _programme(code, raw, params, documents, f"programmes.yaml: programmes.{code}")
        for code, raw in data["programmes"].items()
    }
    exclusions = []
    for i, raw in enumerate(data.get("exclusions") or []):
        where = f"programmes.yaml: exclusions[{i}]"
        for side in ("a", "b"):
            if raw.get(side) not in programmes:
                raise CatalogueError(f"{where}.{side}: no programme {raw.get(side)!r}")
        exclusions.append(Exclusion(raw["a"], raw["b"], _text(raw, where)))
    bundles_raw = _yaml(root / "bundles.yaml")
    if not isinstance(bundles_raw, Mapping):
        raise CatalogueError("bundles.yaml: expected a mapping of bundle codes")
    bundles = {}
    for code, raw in bundles_raw.items():
        where = f"bundles.yaml: {code}"
        members = []
        for i, m in enumerate(raw.get("members") or []):
            if m.get("programme") not in programmes:
                raise CatalogueError(
                    f"{where}.members[{i}]: no programme {m.get('programme')!r} in programmes.yaml"
                )
            try:
                tier = Tier(m.get("tier"))
            except ValueError:
                raise CatalogueError(
                    f"{where}.members[{i}].tier: one of {', '.join(Tier)}, not {m.get('tier')!r}"
                ) from None
            members.append(
                BundleMember(
                    m["programme"],
                    tier,
                    str(m.get("group", "")),
                    bool(m.get("default_selected", True)),
                )
            )
        if not members:
            raise CatalogueError(f"{where}.members: at least one programme")
        bundles[str(code)] = Bundle(
            code=str(code),
            name=_text(raw.get("name"), f"{where}.name"),
            life_event=str(raw.get("life_event", "")),
            version=str(raw.get("version", "")),
            members=tuple(members),
        )
    catalogue = Catalogue(
        version=str(data.get("version", "")),
        programmes=programmes,
        bundles=bundles,
        exclusions=tuple(exclusions),
        parameters=params,
        documents=documents,
    )
    return catalogue


@functools.cache
def catalogue_default() -> Catalogue:
    """The catalogue shipped in ``minwon/benefits/data`` (read once per process)."""
    return catalogue_load(DATA)
