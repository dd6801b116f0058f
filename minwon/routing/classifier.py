"""The routing classifier: features, training, top-k suggestions with the words behind them, CV.

No Django here (``minwon routing evaluate`` runs without a database, like ``minwon deadline``).
Every text passes ``domain.prepare_text`` first, so features, stored models and explanations see
masked text only: a phone number or an address never becomes a feature.

Features: character 1–3-grams of the masked text (spacing- and typo-tolerant) plus kiwipiepy
content morphemes and morpheme bigrams, both TF-IDF (sublinear tf). Classifier: a linear SVM with
class-balanced weights, calibrated to probabilities by Platt scaling over internal folds
(``CalibratedClassifierCV``), so the confidence shown to an officer is a probability and the
top-3 ranking is meaningful. Labels with too few examples to calibrate fall back to a softmax of
the SVM margins (said in the metadata).

A trained model is a :class:`RoutingModel`; :class:`ModelStore` keeps versioned artefacts
(joblib + a JSON sidecar with the metadata and the artefact's SHA-256) under the data folder and
a pointer to the active version per target, so the previous version stays for rollback.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from typing import Any

from minwon.routing.domain import NoSuggestionReason, prepare_text

__all__ = [
    "FORMAT_VERSION",
    "FeatureConfig",
    "ModelStore",
    "ModelStoreError",
    "RoutingModel",
    "Suggestion",
    "SuggestionResult",
    "cold_start_examples",
    "cross_validate",
    "document",
    "evaluate_predictions",
    "prepare_documents",
    "train",
]

FORMAT_VERSION = 1  # bump when a stored artefact's layout changes; older ones are refused
_SEP = "\x1f"  # between the masked text and its morphemes inside one document string
# Kiwi reads the first this-many characters of the masked text (cut at a space): the subject of a
# complaint is in its title and opening, and kiwipiepy is the suggestion's largest cost (about
# 15 µs a character on the development machine); the character n-grams still see the whole text.
MORPHEME_CHARS = 300
# Below this probability the top suggestion is not shown as a confident one.
MIN_CONFIDENCE = 0.2


@dataclass(frozen=True)
class FeatureConfig:
    char_ngrams: tuple[int, int] = (1, 3)
    morpheme_ngrams: tuple[int, int] = (1, 2)
    min_df: int = 1
    max_features: int | None = 300_000
    c: float = 0.5
    calibration_folds: int = 3
    classifier: str = "svm"  # "svm" (calibrated LinearSVC) or "baseline" (char TF-IDF + LR)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FeatureConfig:
        kwargs = dict(data)
        for key in ("char_ngrams", "morpheme_ngrams"):
            if key in kwargs:
                kwargs[key] = tuple(kwargs[key])
        return cls(**kwargs)


# The baseline: character TF-IDF + logistic regression (C=10: a fair, not a weak, one).
BASELINE = FeatureConfig(classifier="baseline", char_ngrams=(1, 3), c=10.0)


# ---------------------------------------------------------------------------------------------
# Documents


def prepare_documents(
    texts: Iterable[str], *, progress: Callable[[Iterable[str]], Iterable[str]] | None = None
) -> list[str]:
    """Mask and tokenise each text once: ``masked<US>morphemes``.

    A pure function of each text alone (no statistics across texts), so it is safe to run once
    over a whole file before cross-validation: no fold can learn from another through it.
    """
    items = progress(texts) if progress is not None else texts
    out = []
    for raw in items:
        prepared = prepare_text(raw)
        out.append(prepared.text + _SEP + morpheme_text(prepared.text))
    return out


def opening(masked_text: str, limit: int = MORPHEME_CHARS) -> str:
    """The first ``limit`` characters, cut back to the last space so no word is split."""
    if len(masked_text) <= limit:
        return masked_text
    cut = masked_text.rfind(" ", 0, limit + 1)
    return masked_text[: cut if cut > limit // 2 else limit]


def morpheme_text(masked_text: str) -> str:
    """The space-joined content morphemes of a masked text's opening (:func:`opening`)."""
    from minwon.routing.text import morphemes

    return " ".join(morphemes(opening(masked_text)))


def document(masked_text: str, morpheme_text: str) -> str:
    """One prepared document from a stored masked text and its space-joined morphemes."""
    return masked_text + _SEP + morpheme_text


def cold_start_examples(
    descriptions: Iterable[tuple[str, str]],
) -> tuple[list[str], list[str]]:
    """Training texts from descriptions (a unit's 업무분장, a catalogue type's name).

    Each description gives one example for the whole text and one for each phrase between
    ``;``, ``,``, ``·``, ``/`` or line breaks, so a unit with many duties gets as many examples.
    """
    texts: list[str] = []
    labels: list[str] = []
    for label, text in descriptions:
        text = (text or "").strip()
        if not text:
            continue
        texts.append(text)
        labels.append(label)
        phrases = [p.strip() for p in re.split(r"[;,·/\n]|\(|\)", text) if len(p.strip()) >= 2]
        if len(phrases) > 1:
            for phrase in phrases:
                texts.append(phrase)
                labels.append(label)
    return texts, labels


def _masked_part(doc: str) -> str:
    return doc.split(_SEP, 1)[0]


def _morpheme_part(doc: str) -> str:
    parts = doc.split(_SEP, 1)
    return parts[1] if len(parts) > 1 else ""


_MORPHEME_TOKEN = r"\S+"


# ---------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
class Suggestion:
    label: str
    confidence: float
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class SuggestionResult:
    """Top-k suggestions, or none with the reason (``reason`` set, ``suggestions`` empty)."""

    suggestions: tuple[Suggestion, ...] = ()
    reason: NoSuggestionReason | None = None


@dataclass
class RoutingModel:
    """A fitted pipeline and what it was trained on."""

    target: str
    labels: tuple[str, ...]
    config: FeatureConfig
    vectorizer: Any  # sklearn FeatureUnion (or one vectorizer for the baseline)
    classifier: Any  # CalibratedClassifierCV, LogisticRegression, LinearSVC or None (one label)
    calibrated: bool
    n: int
    trained_at: str
    version: str = ""
    label_counts: dict[str, int] = field(default_factory=dict)
    source: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)

    # -- prediction --------------------------------------------------------------------------
    def probabilities(self, docs: Sequence[str]) -> Any:
        """(len(docs), len(labels)) probabilities; columns in ``self.labels`` order."""
        import numpy as np

        if self.classifier is None:
            return np.ones((len(docs), 1))
        return self._probabilities(self.vectorizer.transform(docs))

    def _probabilities(self, x: Any) -> Any:
        import numpy as np

        if hasattr(self.classifier, "predict_proba") and self.calibrated:
            return self.classifier.predict_proba(x)
        margins = self.classifier.decision_function(x)
        if margins.ndim == 1:  # two labels: one margin for the second
            margins = np.stack([-margins, margins], axis=1)
        margins = margins - margins.max(axis=1, keepdims=True)
        e = np.exp(margins * 2.0)
        return e / e.sum(axis=1, keepdims=True)

    def _scorer(self) -> _Scorer | None:
        """The one-text fast path (built on first use, never stored; None: use scikit-learn)."""
        if "_scorer_cache" not in self.__dict__:
            object.__setattr__(self, "_scorer_cache", _Scorer.build(self))
        scorer: _Scorer | None = self.__dict__["_scorer_cache"]
        return scorer

    def explain(self, doc: str, label_index: int, *, limit: int = 5) -> tuple[str, ...]:
        """The words that pushed ``doc`` towards a label most (morphemes first, then n-grams)."""
        scorer = self._scorer()
        if scorer is None:
            return ()
        features = scorer.features(doc)
        return self._explain(features, scorer.contributions(features, label_index), limit=limit)

    def _explain(
        self, features: tuple[Any, Any, Any], contributions: Any, *, limit: int = 5
    ) -> tuple[str, ...]:
        idx = features[0]
        if not len(idx):
            return ()
        order = contributions.argsort()[::-1]
        names = self._feature_names()
        words: list[str] = []
        chars: list[str] = []
        for j in order:
            if contributions[j] <= 0:
                break
            name = str(names[idx[j]])
            kind, _, term = name.partition("__")
            term = term.strip()
            if not term or (term.isupper() and term.startswith("X")):
                continue  # a masking placeholder explains nothing to an officer
            if kind == "m":
                if term not in words:
                    words.append(term)
            elif len(term) >= 2 and term not in chars:
                chars.append(term)
            if len(words) >= limit:
                break
        return tuple((words + chars)[:limit])

    def _feature_names(self) -> Any:
        cached = self.__dict__.get("_names_cache")
        if cached is None:
            cached = self.vectorizer.get_feature_names_out()
            object.__setattr__(self, "_names_cache", cached)
        return cached

    def suggest(self, text: str, *, k: int = 3, explain: bool = True) -> SuggestionResult:
        """Top-k labels for one complaint, or no suggestion with the reason."""
        prepared = prepare_text(text)
        if not prepared.usable:
            return SuggestionResult(reason=prepared.reason)
        doc = prepared.text + _SEP + morpheme_text(prepared.text)
        return self.suggest_document(doc, k=k, explain=explain)

    def suggest_document(self, doc: str, *, k: int = 3, explain: bool = True) -> SuggestionResult:
        """Top-k labels for a prepared document (text already checked as usable).

        One text through :class:`_Scorer` (the same probabilities as scikit-learn's
        ``predict_proba``, without its per-call validation and sparse-matrix building).
        """
        import numpy as np

        scorer = self._scorer() if self.classifier is not None else None
        features: tuple[Any, Any, Any] | None = None
        if self.classifier is None:
            probs = np.ones(1)
        elif scorer is None:
            probs = self.probabilities([doc])[0]
        else:
            features = scorer.features(doc)
            probs = scorer.probabilities(features)
        order = probs.argsort()[::-1][:k]
        if float(probs[order[0]]) < MIN_CONFIDENCE:
            return SuggestionResult(reason=NoSuggestionReason.LOW_CONFIDENCE)
        return SuggestionResult(
            suggestions=tuple(
                Suggestion(
                    label=self.labels[i],
                    confidence=round(float(probs[i]), 4),
                    words=(
                        self._explain(features, scorer.contributions(features, int(i)))
                        if explain and scorer is not None and features is not None
                        else ()
                    ),
                )
                for i in order
            )
        )

    def top_k(self, docs: Sequence[str], k: int = 3) -> list[list[str]]:
        probs = self.probabilities(docs)
        return [[self.labels[i] for i in row.argsort()[::-1][:k]] for row in probs]

    def metadata(self) -> dict[str, Any]:
        return {
            "format": FORMAT_VERSION,
            "target": self.target,
            "version": self.version,
            "trained_at": self.trained_at,
            "n": self.n,
            "labels": list(self.labels),
            "label_counts": self.label_counts,
            "features": self.config.to_dict(),
            "calibrated": self.calibrated,
            "source": self.source,
            "metrics": self.metrics,
        }


class _Scorer:
    """One document's features and probabilities in plain numpy.

    scikit-learn's ``transform`` and ``predict_proba`` spend most of a suggestion's time on
    input validation and building sparse matrices for a single row (about 8 ms of 9 measured,
    docs/benchmarks.md). This computes the same numbers directly: each TF-IDF part's analyser
    (the fitted vectoriser's own), counts looked up in its vocabulary, sublinear tf × idf, l2
    norm; then the decision values of every calibration fold's SVM at once from one
    (features × folds·labels) float32 matrix, gathered at the document's non-zero features only;
    then each fold's sigmoid calibrators, normalised, averaged over the folds. Equality with
    scikit-learn is a test (``test_fast_path_equals_scikit_learn``).
    """

    def __init__(
        self,
        parts: list[_Part],
        weights: Any,
        intercepts: Any,
        folds: list[tuple[Any, Any, Any, Any]],
        n_labels: int,
        calibrated: bool,
    ) -> None:
        self.parts = parts
        self.weights = weights  # (features, columns) float32, C order: rows gather fast
        self.intercepts = intercepts
        # Per fold: its columns in ``weights``, the label index of each, sigmoid a and b.
        self.folds = folds
        self.n_labels = n_labels
        self.calibrated = calibrated

    @classmethod
    def build(cls, model: RoutingModel) -> _Scorer | None:
        import numpy as np

        clf = model.classifier
        if clf is None or model.config.classifier != "svm":
            return None
        parts = []
        offset = 0
        for _name, vec in model.vectorizer.transformer_list:
            parts.append(_Part.of(vec, offset))
            offset += len(vec.vocabulary_)
        n_labels = len(model.labels)
        estimators: list[tuple[Any, list[Any] | None]]
        if hasattr(clf, "calibrated_classifiers_"):
            if clf.method != "sigmoid":
                return None
            estimators = [(c.estimator, list(c.calibrators)) for c in clf.calibrated_classifiers_]
        else:
            estimators = [(clf, None)]
        blocks, intercepts, folds = [], [], []
        column = 0
        for est, calibrators in estimators:
            coef = np.asarray(est.coef_)
            positions = np.searchsorted(np.asarray(model.labels), np.asarray(est.classes_))
            if coef.shape[0] == 1:  # two labels: one decision value, for the second label
                positions = positions[1:]
            rows = coef.shape[0]
            blocks.append(coef)
            intercepts.append(np.asarray(est.intercept_, dtype=np.float64))
            cols = np.arange(column, column + rows)
            column += rows
            if calibrators is None:
                a = b = None
            else:
                a = np.array([float(c.a_) for c in calibrators])
                b = np.array([float(c.b_) for c in calibrators])
            folds.append((cols, positions, a, b))
        weights = np.ascontiguousarray(np.vstack(blocks).T, dtype=np.float32)
        return cls(
            parts,
            weights,
            np.concatenate(intercepts),
            folds,
            n_labels,
            calibrated=estimators[0][1] is not None,
        )

    def features(self, doc: str) -> tuple[Any, Any, Any]:
        """The document's non-zero TF-IDF features (indices in the union's order, values) and
        their rows of the weight matrix."""
        import numpy as np

        all_idx, all_val = [], []
        for part in self.parts:
            counts = part.counts(doc)
            if not counts:
                continue
            idx = np.fromiter(map(part.vocabulary.get, counts, repeat(-1)), dtype=np.int64)
            val = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            known = idx >= 0
            idx, val = idx[known], val[known]
            if not len(idx):
                continue
            if part.sublinear:
                val = np.log(val) + 1.0
            val *= part.idf[idx]
            norm = float(np.sqrt(val @ val))
            if norm > 0:
                val /= norm
            all_idx.append(idx + part.offset)
            all_val.append(val)
        if not all_idx:
            return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros((0, self.weights.shape[1]))
        idx = np.concatenate(all_idx)
        return idx, np.concatenate(all_val), self.weights[idx].astype(np.float64)

    def probabilities(self, features: tuple[Any, Any, Any]) -> Any:
        import numpy as np

        _idx, val, rows = features
        scores = val @ rows + self.intercepts
        n = self.n_labels
        if not self.calibrated:  # the softmax of the margins (RoutingModel._probabilities)
            margins = scores
            if margins.shape[0] == 1:
                margins = np.array([-margins[0], margins[0]])
            margins = margins - margins.max()
            e = np.exp(margins * 2.0)
            return e / e.sum()
        mean = np.zeros(n)
        for cols, positions, a, b in self.folds:
            proba = np.zeros(n)
            proba[positions] = 1.0 / (1.0 + np.exp(a * scores[cols] + b))
            if n == 2:
                proba[0] = 1.0 - proba[1]
            else:
                total = proba.sum()
                proba = proba / total if total != 0 else np.full(n, 1.0 / n)
            mean += proba
        mean /= len(self.folds)
        mean[(mean > 1.0) & (mean <= 1.0 + 1e-5)] = 1.0
        return mean

    def contributions(self, features: tuple[Any, Any, Any], label_index: int) -> Any:
        """Each non-zero feature's value × its weight for a label (mean over the folds)."""
        import numpy as np

        idx, val, rows = features
        total = np.zeros(len(idx))
        for cols, positions, _a, _b in self.folds:
            hit = np.flatnonzero(positions == label_index)
            if hit.size:
                total += rows[:, cols[hit[0]]]
            elif self.n_labels == 2 and label_index == 0 and len(cols) == 1:
                total -= rows[:, cols[0]]
        return val * (total / len(self.folds))


@dataclass(frozen=True)
class _Part:
    """One fitted TF-IDF vectoriser of the union, as :class:`_Scorer` reads it."""

    analyse: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: Any
    sublinear: bool
    offset: int
    # Character n-grams within words (``char_wb``) up to 3 long, read off the whole text at once.
    char_wb: tuple[int, int] | None = None
    preprocess: Callable[[str], str] | None = None

    @classmethod
    def of(cls, vec: Any, offset: int) -> _Part:
        low, high = vec.ngram_range
        fast = vec.analyzer == "char_wb" and high <= 3 and vec.preprocessor is not None
        return cls(
            analyse=vec.build_analyzer(),
            vocabulary=vec.vocabulary_,
            idf=vec.idf_,
            sublinear=vec.sublinear_tf,
            offset=offset,
            char_wb=(low, high) if fast else None,
            preprocess=vec.preprocessor if fast else None,
        )

    def counts(self, doc: str) -> Counter[str]:
        if self.char_wb is None or self.preprocess is None:
            return Counter(self.analyse(doc))
        # scikit-learn pads each word with a space and takes its n-grams. For n <= 3 these are
        # exactly the n-grams of " w1  w2  w3 " (words two spaces apart) that hold no double
        # space; those with one are in no vocabulary, so the lookup drops them. Counted in C.
        text = " " + "  ".join(self.preprocess(doc).split()) + " "
        low, high = self.char_wb
        counts: Counter[str] = Counter()
        if low <= 1 <= high:
            counts.update(text)
        if low <= 2 <= high:
            counts.update(map(str.__add__, text, text[1:]))
        if low <= 3 <= high:
            counts.update(map(str.__add__, map(str.__add__, text, text[1:]), text[2:]))
        return counts


def _vectorizer(config: FeatureConfig) -> Any:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=config.char_ngrams,
        preprocessor=_masked_part,
        lowercase=True,
        sublinear_tf=True,
        min_df=config.min_df,
        max_features=config.max_features,
        dtype=np.float32,
    )
    if config.classifier == "baseline":
        return FeatureUnion([("c", chars)])
    words = TfidfVectorizer(
        analyzer="word",
        token_pattern=_MORPHEME_TOKEN,
        ngram_range=config.morpheme_ngrams,
        preprocessor=_morpheme_part,
        lowercase=False,
        sublinear_tf=True,
        min_df=config.min_df,
        max_features=config.max_features,
        dtype=np.float32,
    )
    return FeatureUnion([("c", chars), ("m", words)])


def train(
    docs: Sequence[str],
    labels: Sequence[str],
    *,
    target: str = "label",
    config: FeatureConfig | None = None,
    source: str = "",
    now: datetime | None = None,
) -> RoutingModel:
    """Fit a model on prepared documents (:func:`prepare_documents`) and their labels."""
    if len(docs) != len(labels):
        raise ValueError("docs and labels differ in length")
    if not docs:
        raise ValueError("no training examples")
    config = config or FeatureConfig()
    counts = Counter(labels)
    classes = tuple(sorted(counts))
    trained_at = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    vectorizer = _vectorizer(config)
    x = vectorizer.fit_transform(docs)
    common = {
        "target": target,
        "labels": classes,
        "config": config,
        "vectorizer": vectorizer,
        "n": len(docs),
        "trained_at": trained_at,
        "label_counts": dict(sorted(counts.items())),
        "source": source,
    }
    if len(classes) == 1:
        return RoutingModel(classifier=None, calibrated=False, **common)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on tiny folds
        if config.classifier == "baseline":
            from sklearn.linear_model import LogisticRegression

            lr = LogisticRegression(C=config.c, max_iter=2000)
            lr.fit(x, list(labels))
            return RoutingModel(classifier=lr, calibrated=True, **common)
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import LinearSVC

        svm = LinearSVC(C=config.c, class_weight="balanced")
        folds = min(config.calibration_folds, min(counts.values()))
        if folds >= 2:
            clf: Any = CalibratedClassifierCV(svm, cv=folds, method="sigmoid")
            clf.fit(x, list(labels))
            calibrated = True
        else:  # a label with one example cannot be calibrated: softmax of the margins
            svm.fit(x, list(labels))
            clf, calibrated = svm, False
    if list(clf.classes_) != list(classes):
        raise RuntimeError("classifier label order differs from the model's")
    return RoutingModel(classifier=clf, calibrated=calibrated, **common)


# ---------------------------------------------------------------------------------------------
# Evaluation


def evaluate_predictions(truth: Sequence[str], ranked: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Top-1/top-3 accuracy, macro-F1 and per-label precision/recall/F1/support/top-3 recall."""
    n = len(truth)
    labels = sorted(set(truth) | {r[0] for r in ranked if r})
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    support: Counter[str] = Counter(truth)
    top3: Counter[str] = Counter()
    hits1 = hits3 = 0
    for t, r in zip(truth, ranked, strict=True):
        predicted = r[0] if r else None
        if predicted == t:
            tp[t] += 1
            hits1 += 1
        elif predicted is not None:
            fp[predicted] += 1
        if t in r[:3]:
            top3[t] += 1
            hits3 += 1
    per_label: dict[str, dict[str, float | int]] = {}
    f1s = []
    for label in labels:
        precision = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        recall = tp[label] / support[label] if support[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if support[label]:
            f1s.append(f1)
        per_label[label] = {
            "support": support[label],
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "top3_recall": round(top3[label] / support[label], 4) if support[label] else 0.0,
        }
    return {
        "n": n,
        "top1_accuracy": round(hits1 / n, 4) if n else 0.0,
        "top3_accuracy": round(hits3 / n, 4) if n else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
        "per_label": per_label,
    }


@dataclass(frozen=True)
class Fold:
    train: tuple[int, ...]
    test: tuple[int, ...]


def stratified_folds(labels: Sequence[str], k: int, *, seed: int = 0) -> list[Fold]:
    """K stratified folds; a label with fewer than K examples lands in as many folds as it has."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "least populated class has only N members"
        splitter = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        return [
            Fold(tuple(int(i) for i in tr), tuple(int(i) for i in te))
            for tr, te in splitter.split(np.zeros(len(labels)), list(labels))
        ]


def cross_validate(
    docs: Sequence[str],
    labels: Sequence[str],
    *,
    k: int = 5,
    config: FeatureConfig | None = None,
    seed: int = 0,
    on_fold: Callable[[Fold], None] | None = None,
    fit: Callable[..., RoutingModel] = train,
) -> dict[str, Any]:
    """K-fold CV: each fold's model is fitted on that fold's training part only."""
    ranked: list[list[str]] = [[] for _ in docs]
    for fold in stratified_folds(labels, k, seed=seed):
        if on_fold is not None:
            on_fold(fold)
        model = fit([docs[i] for i in fold.train], [labels[i] for i in fold.train], config=config)
        for i, top in zip(fold.test, model.top_k([docs[i] for i in fold.test]), strict=True):
            ranked[i] = top
    result = evaluate_predictions(labels, ranked)
    result["cv"] = k
    return result


# ---------------------------------------------------------------------------------------------
# Stored models


class ModelStoreError(Exception):
    """A stored model is missing, damaged or of another format."""


_TARGET = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_VERSION = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$")


class ModelStore:
    """Versioned artefacts under ``<root>/<target>/<version>.joblib`` (+ ``.json``), and
    ``<root>/<target>/ACTIVE`` naming the version in use. Older versions are kept (rollback).

    Only artefacts this store wrote are loaded: the SHA-256 in the sidecar must match.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    @staticmethod
    def default_root() -> Path:
        data = os.environ.get("MINWON_DATA_DIR") or str(Path.cwd() / "data")
        return Path(data) / "routing" / "models"

    def _dir(self, target: str) -> Path:
        if not _TARGET.match(target):
            raise ModelStoreError(f"invalid model target {target!r}")
        return self.root / target

    def save(self, model: RoutingModel, *, activate: bool = True) -> str:
        import joblib

        if not model.version:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            model.version = f"{stamp}-{secrets.token_hex(3)}"
        folder = self._dir(model.target)
        folder.mkdir(parents=True, exist_ok=True)
        artefact = folder / f"{model.version}.joblib"
        tmp = artefact.with_suffix(".joblib.tmp")
        for cache in ("_coef_cache", "_names_cache", "_scorer_cache"):
            model.__dict__.pop(cache, None)
        joblib.dump(model, tmp, compress=3)
        digest = hashlib.sha256(tmp.read_bytes()).hexdigest()
        meta = {**model.metadata(), "sha256": digest, "file": artefact.name}
        (folder / f"{model.version}.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        os.replace(tmp, artefact)
        if activate:
            self.activate(model.target, model.version)
        return model.version

    def activate(self, target: str, version: str) -> None:
        if not _VERSION.match(version) or not (self._dir(target) / f"{version}.json").exists():
            raise ModelStoreError(f"no stored {target} model {version!r}")
        pointer = self._dir(target) / "ACTIVE"
        tmp = pointer.with_suffix(".tmp")
        tmp.write_text(version + "\n", encoding="utf-8")
        os.replace(tmp, pointer)
        with (self._dir(target) / "HISTORY").open("a", encoding="utf-8") as history:
            history.write(f"{datetime.now(UTC).isoformat(timespec='seconds')} {version}\n")

    def previous_version(self, target: str) -> str | None:
        """The version that was active before the current one (for rollback), if still stored."""
        active = self.active_version(target)
        try:
            lines = (self._dir(target) / "HISTORY").read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return None
        for line in reversed(lines):
            version = line.rpartition(" ")[2]
            if (
                version != active
                and _VERSION.match(version)
                and (self._dir(target) / f"{version}.json").exists()
            ):
                return version
        return None

    def active_version(self, target: str) -> str | None:
        pointer = self._dir(target) / "ACTIVE"
        try:
            version = pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return version if _VERSION.match(version) else None

    def versions(self, target: str) -> list[dict[str, Any]]:
        folder = self._dir(target)
        if not folder.exists():
            return []
        out = []
        for path in sorted(folder.glob("*.json")):
            try:
                out.append(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
        return out

    def load(self, target: str, version: str | None = None) -> RoutingModel:
        import joblib

        version = version or self.active_version(target)
        if version is None:
            raise ModelStoreError(f"no {target} model is installed (run `minwon routing train`)")
        if not _VERSION.match(version):
            raise ModelStoreError(f"invalid model version {version!r}")
        folder = self._dir(target)
        try:
            meta = json.loads((folder / f"{version}.json").read_text(encoding="utf-8"))
            blob = (folder / f"{version}.joblib").read_bytes()
        except (OSError, ValueError) as exc:
            raise ModelStoreError(f"{target} model {version} cannot be read: {exc}") from exc
        if meta.get("format") != FORMAT_VERSION:
            raise ModelStoreError(f"{target} model {version} has format {meta.get('format')!r}")
        if hashlib.sha256(blob).hexdigest() != meta.get("sha256"):
            raise ModelStoreError(f"{target} model {version} does not match its checksum")
        model = joblib.load(folder / f"{version}.joblib")
        if not isinstance(model, RoutingModel):
            raise ModelStoreError(f"{target} model {version} is not a routing model")
        return model
