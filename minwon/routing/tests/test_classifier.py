"""The routing classifier's behaviour on written data (accuracy is measured on real data: docs/routing.md)."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from minwon.routing import classifier
from minwon.routing.domain import NoSuggestionReason

TRAFFIC = [
    "아파트 앞 불법 주정차 단속 부탁드립니다",
    "버스 정류장 앞에 불법 주차 차량이 많아요",
    "교차로 신호등 주기가 너무 짧습니다 신호 조정 요청",
    "마을버스 배차 간격이 길어서 불편합니다",
    "횡단보도 앞 불법 주정차 때문에 위험합니다",
    "주차장 진입로에 차량이 주차되어 있어요",
]
ENVIRONMENT = [
    "골목에 쓰레기 무단 투기가 심합니다",
    "재활용 쓰레기 수거가 안 되고 있어요",
    "공장에서 악취가 심하게 납니다 단속해 주세요",
    "하천에 폐수가 흘러 물고기가 죽었습니다",
    "음식물 쓰레기 수거함이 넘칩니다",
    "공사장 소음과 먼지가 심해 창문을 못 엽니다",
]
WELFARE = [
    "기초생활수급자 신청 방법을 알려주세요",
    "장애인 활동지원 서비스 신청 문의",
    "어르신 돌봄 서비스를 받고 싶습니다",
    "긴급 복지 지원금 신청 자격이 궁금합니다",
    "아동 수당 지급 일정 문의드립니다",
    "노인 일자리 사업 참여 신청 문의",
]


def _data() -> tuple[list[str], list[str]]:
    texts = TRAFFIC + ENVIRONMENT + WELFARE
    labels = ["교통"] * len(TRAFFIC) + ["환경"] * len(ENVIRONMENT) + ["복지"] * len(WELFARE)
    return texts, labels


@pytest.fixture(scope="module")
def model() -> classifier.RoutingModel:
    texts, labels = _data()
    return classifier.train(classifier.prepare_documents(texts), labels, target="category")


def test_suggestion_ranks_labels_with_probabilities_and_the_words_behind_them(model):
    result = model.suggest("집 앞 도로에 불법 주정차 차량 때문에 통행이 어렵습니다 010-1234-5678")
    assert result.reason is None
    top = result.suggestions
    assert top[0].label == "교통"
    assert len(top) == 3
    assert sorted({s.label for s in top}) == ["교통", "복지", "환경"]
    assert top[0].confidence >= top[1].confidence >= top[2].confidence
    assert 0.0 < sum(s.confidence for s in top) <= 1.0001
    assert "주정차" in top[0].words or "주차" in "".join(top[0].words)
    # Masked personal data never becomes an explanation.
    assert not any("XPHONE" in w or "010" in w for s in top for w in s.words)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", NoSuggestionReason.EMPTY),
        ("   ", NoSuggestionReason.EMPTY),
        ("010-1234-5678 900101-1234567", NoSuggestionReason.ONLY_PERSONAL_DATA),
        ("Please fix the street light in front of my house", NoSuggestionReason.NOT_KOREAN),
        ("😀😀😀😀🚗🚗", NoSuggestionReason.TOO_LITTLE_TEXT),
    ],
)
def test_unusable_text_gets_no_suggestion_and_a_reason(model, text, reason):
    result = model.suggest(text)
    assert result.suggestions == ()
    assert result.reason is reason


def test_enormous_and_mixed_script_text_does_not_crash(model):
    huge = "쓰레기 무단 투기 " * 200_000 + "🙏" * 1000
    assert model.suggest(huge).suggestions[0].label == "환경"
    mixed = "쓰레기 trash 수거 안돼요 ㅠㅠ 😡 ゴミ 垃圾"
    assert model.suggest(mixed).reason is None


def test_a_label_with_one_example_is_trained_without_calibration():
    texts, labels = _data()
    docs = classifier.prepare_documents([*texts, "지방세 납부 기한 문의"])
    m = classifier.train(docs, [*labels, "세금"])
    assert not m.calibrated
    assert "세금" in m.labels
    probs = m.probabilities(docs[:1])[0]
    assert abs(float(probs.sum()) - 1.0) < 1e-6


def test_one_label_only_gives_that_label():
    docs = classifier.prepare_documents(TRAFFIC)
    m = classifier.train(docs, ["교통"] * len(docs))
    assert m.top_k(docs[:2]) == [["교통"], ["교통"]]


def test_metrics_per_label():
    truth = ["a", "a", "b", "c"]
    ranked = [["a", "b", "c"], ["b", "a", "c"], ["b", "a", "c"], ["a", "b", "d"]]
    m = classifier.evaluate_predictions(truth, ranked)
    assert m["n"] == 4
    assert m["top1_accuracy"] == 0.5
    assert m["top3_accuracy"] == 0.75
    assert m["per_label"]["a"] == {
        "support": 2,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "top3_recall": 1.0,
    }
    assert m["per_label"]["b"]["precision"] == 0.5
    assert m["per_label"]["c"]["recall"] == 0.0
    # macro-F1 over the labels that occur: a 0.5, b 0.667, c 0.
    assert m["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 0) / 3, abs=1e-4)


# -- cross-validation never trains on its test fold ---------------------------------------------


def _memorisable(n: int = 160, seed: int = 7) -> tuple[list[str], list[str]]:
    """Unique random 'words' with random labels: learnable only by memorising each text."""
    rng = random.Random(seed)
    texts = [
        " ".join("".join(chr(rng.randrange(0xAC00, 0xD7A4)) for _ in range(4)) for _ in range(6))
        for _ in range(n)
    ]
    labels = [rng.choice("ABCD") for _ in range(n)]
    return texts, labels


def test_cross_validation_does_not_leak_test_folds_into_training():
    texts, labels = _memorisable()
    docs = classifier.prepare_documents(texts)
    folds: list[classifier.Fold] = []
    # Logistic regression memorises its training texts (the calibrated SVM's held-out calibration
    # does not, on pure noise), which is what makes a leak visible.
    config = classifier.BASELINE
    honest = classifier.cross_validate(docs, labels, k=5, config=config, on_fold=folds.append)
    # Texts are unique noise: only a model that saw the test texts can score well above chance.
    assert honest["top1_accuracy"] < 0.5
    seen: set[int] = set()
    for fold in folds:
        assert not set(fold.train) & set(fold.test)
        seen |= set(fold.test)
    assert seen == set(range(len(docs)))

    # The same check catches a leak: a fit that also trains on the test texts memorises them.
    def leaky_fit(_docs, _labels, **kwargs):
        return classifier.train(docs, labels, **kwargs)

    leaked = classifier.cross_validate(docs, labels, k=5, config=config, fit=leaky_fit)
    assert leaked["top1_accuracy"] > 0.9


def test_folds_are_stratified_and_small_labels_are_tolerated():
    labels = ["a"] * 20 + ["b"] * 10 + ["c"] * 2
    folds = classifier.stratified_folds(labels, 5)
    assert len(folds) == 5
    for fold in folds:
        test_labels = [labels[i] for i in fold.test]
        assert test_labels.count("a") == 4
        assert test_labels.count("b") == 2
    assert sum(1 for f in folds if any(labels[i] == "c" for i in f.test)) == 2


# -- stored models -------------------------------------------------------------------------------


def test_store_saves_versions_loads_the_active_one_and_keeps_the_previous(tmp_path: Path, model):
    store = classifier.ModelStore(tmp_path)
    first = store.save(model)
    texts, labels = _data()
    second_model = classifier.train(classifier.prepare_documents(texts[:12]), labels[:12])
    second_model.target = "category"
    second = store.save(second_model)
    assert first != second
    assert store.active_version("category") == second
    assert store.load("category").labels == ("교통", "환경")
    meta = {v["version"]: v for v in store.versions("category")}
    assert meta[first]["n"] == 18
    assert meta[first]["labels"] == ["교통", "복지", "환경"]
    assert meta[first]["features"]["char_ngrams"] == [1, 3]
    assert meta[first]["trained_at"]
    store.activate("category", first)
    loaded = store.load("category")
    assert loaded.version == first
    assert loaded.suggest("쓰레기 수거가 안 됩니다").suggestions[0].label == "환경"


def test_store_refuses_a_changed_artefact_and_unknown_versions(tmp_path: Path, model):
    store = classifier.ModelStore(tmp_path)
    version = store.save(model)
    artefact = tmp_path / "category" / f"{version}.joblib"
    artefact.write_bytes(artefact.read_bytes() + b"x")
    with pytest.raises(classifier.ModelStoreError, match="checksum"):
        store.load("category")
    with pytest.raises(classifier.ModelStoreError):
        store.activate("category", "20990101T000000Z-abcdef")
    with pytest.raises(classifier.ModelStoreError):
        store.load("../etc")
    with pytest.raises(classifier.ModelStoreError, match="no department model"):
        store.load("department")
    meta_path = tmp_path / "category" / f"{version}.json"
    meta = json.loads(meta_path.read_text())
    meta["format"] = 999
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(classifier.ModelStoreError, match="format"):
        store.load("category")


# -- the one-text fast path (classifier._Scorer) ---------------------------------------------

PROBES = [
    "집 앞 도로에 불법 주정차 차량 때문에 통행이 어렵습니다",
    "음식물 쓰레기 수거함 교체 요청합니다 악취가 심해요",
    "장애인 활동지원 신청 서류가 무엇인지 알려 주세요",
    "버스 a 정류장 😀 ゴミ x",  # one-letter words, other scripts, words no model has seen
    "가나다라마바사 아자차카타파하",
]


def _reference(m: classifier.RoutingModel, doc: str):
    """What scikit-learn itself gives for one document."""
    return m.probabilities([doc])[0]


@pytest.mark.parametrize("case", ["multi", "binary", "uncalibrated"])
def test_fast_path_equals_scikit_learn(model, case):
    texts, labels = _data()
    if case == "multi":
        m = model
    elif case == "binary":
        m = classifier.train(
            classifier.prepare_documents(texts[:12]), labels[:12], target="category"
        )
    else:
        docs = classifier.prepare_documents([*texts, "지방세 납부 기한 문의"])
        m = classifier.train(docs, [*labels, "세금"])
        assert not m.calibrated
    scorer = m._scorer()
    assert scorer is not None
    for doc in classifier.prepare_documents(PROBES):
        fast = scorer.probabilities(scorer.features(doc))
        assert fast == pytest.approx(_reference(m, doc), abs=1e-6)
        # The features are scikit-learn's own row, value for value.
        idx, values, _rows = scorer.features(doc)
        row = m.vectorizer.transform([doc]).tocsr()
        assert dict(zip(idx.tolist(), values.tolist(), strict=True)) == pytest.approx(
            dict(zip(row.indices.tolist(), row.data.tolist(), strict=True)), abs=1e-6
        )
    # The ranking a suggestion gives is the scikit-learn one.
    result = m.suggest(PROBES[0])
    order = _reference(m, classifier.prepare_documents(PROBES[:1])[0]).argsort()[::-1]
    assert [s.label for s in result.suggestions] == [m.labels[i] for i in order[:3]]


def test_fast_character_ngrams_are_scikit_learns(model):
    part = model._scorer().parts[0]
    assert part.char_wb == (1, 3)
    for doc in classifier.prepare_documents([*PROBES, "a", "가 나 다", "  공백   여러 개  "]):
        ours = {t: c for t, c in part.counts(doc).items() if "  " not in t}
        assert ours == Counter(part.analyse(doc))


def test_words_behind_a_suggestion_follow_the_model_weights(model):
    """The first explaining word is the feature with the largest value × weight for the label."""
    scorer = model._scorer()
    doc = classifier.prepare_documents(["골목 쓰레기 무단 투기 단속 요청"])[0]
    features = scorer.features(doc)
    label = model.labels.index("환경")
    contributions = scorer.contributions(features, label)
    coef = [c.estimator.coef_ for c in model.classifier.calibrated_classifiers_]
    names = model._feature_names()
    idx, values, _rows = features
    for j in range(len(idx)):
        weight = sum(float(c[label, idx[j]]) for c in coef) / len(coef)
        assert contributions[j] == pytest.approx(values[j] * weight, rel=1e-4, abs=1e-7)
    words = model.explain(doc, label)
    best = max(
        (j for j in range(len(idx)) if str(names[idx[j]]).startswith("m__")),
        key=lambda j: contributions[j],
    )
    assert words[0] == str(names[idx[best]]).partition("__")[2]


def test_the_morphemes_come_from_the_opening_cut_at_a_space():
    text = "불법 주정차 " * 100
    cut = classifier.opening(text)
    assert len(cut) <= classifier.MORPHEME_CHARS
    assert cut.endswith(("주정차", "불법"))
    assert text.startswith(cut)
    assert classifier.opening("짧은 민원") == "짧은 민원"
    unspaced = "가" * 1000
    assert classifier.opening(unspaced) == "가" * classifier.MORPHEME_CHARS
    doc = classifier.prepare_documents([text])[0]
    morphemes = doc.split("\x1f")[1].split()
    assert 0 < len(morphemes) <= classifier.MORPHEME_CHARS // 3
