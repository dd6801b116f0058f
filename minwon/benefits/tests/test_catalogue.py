"""The catalogue data: OpenFisca's parameter shape, and every mistake named on loading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from minwon.benefits.catalogue import DATA, CatalogueError, catalogue_default, catalogue_load
from minwon.benefits.domain.catalogue import SupportType, Tier


def _leaves(node: object, path: str = "") -> list[tuple[str, dict[str, object]]]:
    assert isinstance(node, dict), path
    if "values" in node:
        return [(path, node)]
    found = []
    for key, child in node.items():
        if key not in {"description", "metadata", "documentation"}:
            found += _leaves(child, f"{path}.{key}")
    return found


@pytest.mark.parametrize(
    "path", sorted((DATA / "parameters").glob("*/*.yaml")), ids=lambda p: p.name
)
def test_parameter_files_have_openfiscas_shape(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data.get("metadata", {}).get("reference"), f"{path.name}: metadata.reference"
    leaves = _leaves(data)
    assert leaves
    for name, leaf in leaves:
        values = leaf["values"]
        assert isinstance(values, dict) and values, name
        for day, value in values.items():
            assert type(day).__name__ == "date", f"{name}: {day!r} is an unquoted YYYY-MM-DD"
            assert value is None or (isinstance(value, int) and not isinstance(value, bool))
        metadata = leaf.get("metadata")
        assert isinstance(metadata, dict) and metadata.get("unit"), f"{name}: metadata.unit"


def test_the_shipped_catalogue_loads_with_three_bundles() -> None:
    catalogue = catalogue_default()
    assert set(catalogue.bundles) == {"MOM_PREGNANCY", "HAPPY_BIRTH", "ALLDAY_CARE"}
    birth = catalogue.bundles["HAPPY_BIRTH"]
    tiers = {m.programme: m.tier for m in birth.members}
    assert tiers["parental_benefit"] is Tier.INTEGRATED
    assert tiers["paju_birth_grant"] is Tier.LOCAL
    assert tiers["diapers_formula"] is Tier.GUIDANCE_ONLY
    care = catalogue.bundles["ALLDAY_CARE"]
    assert {
        catalogue.programmes[m.programme].support_type
        for m in care.members
        if m.tier is Tier.INTEGRATED
    } == {SupportType.CARE_SLOT}
    assert catalogue.computed_codes()[:4] == [
        "first_meeting_voucher",
        "parental_benefit",
        "child_allowance",
        "paju_birth_grant",
    ]
    for programme in catalogue.programmes.values():
        assert programme.legal_basis and programme.name.ko and programme.name.en


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "parameters/national/parental_benefit.yaml",
            "2024-01-01: 1000000",
            "2024-01-01: 1000000.5",
            "not a whole number",
        ),
        (
            "parameters/national/parental_benefit.yaml",
            "2024-01-01: 1000000",
            "2024-13-01: 1000000",
            "not a date",
        ),
        (
            "parameters/national/parental_benefit.yaml",
            "2024-01-01: 1000000",
            "2024-01-01: -5",
            "negative",
        ),
        (
            "programmes.yaml",
            "amount: national.parental_benefit.age_1",
            "amount: national.parental_benefit.age_2",
            "no parameter 'national.parental_benefit.age_2'",
        ),
        (
            "programmes.yaml",
            "documents: [ID_CARD, BANK_ACCOUNT, BIRTH_REGISTRATION, RESIDENT",
            "documents: [ID_CARDS, BANK_ACCOUNT, BIRTH_REGISTRATION, RESIDENT",
            "no document 'ID_CARDS'",
        ),
        ("programmes.yaml", "support_type: cash_monthly", "support_type: money", "support_type"),
        (
            "programmes.yaml",
            "{min_order: 2, ko: 둘째 이상",
            "{min_order: 1, ko: 둘째 이상",
            "ascending birth orders",
        ),
        (
            "bundles.yaml",
            "{programme: paju_birth_grant, tier: local",
            "{programme: paju_grant, tier: local",
            "no programme 'paju_grant'",
        ),
        (
            "bundles.yaml",
            "{programme: paju_birth_grant, tier: local",
            "{programme: paju_birth_grant, tier: town",
            "tier",
        ),
        ("bundles.yaml", "HAPPY_BIRTH:", "HAPPY_BIRTH: [", "not valid YAML"),
    ],
)
def test_mistakes_in_the_data_are_named(
    copy: Path, file: str, old: str, new: str, message: str
) -> None:
    _edit(copy / file, old, new)
    with pytest.raises(CatalogueError, match=message.replace("(", r"\(")):
        catalogue_load(copy)
