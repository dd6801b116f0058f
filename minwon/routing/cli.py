"""``minwon routing train [FILE]`` and ``minwon routing evaluate FILE [--cv K] [--label FIELD]``.

FILE is JSON Lines (``-`` for stdin): one object a line with ``text`` and a label field
(``--label``; by default ``label``, or the one other field when there is exactly one).

    minwon routing evaluate complaints.jsonl --cv 5 --label category
    minwon routing train complaints.jsonl --label department

``evaluate --cv K`` trains on each fold's training part and scores its test part (stratified
folds; no database, no Django start-up). Without ``--cv`` it scores the installed model. Both print
one JSON object on the last line of stdout (``n``, ``top1_accuracy``, ``top3_accuracy``,
``macro_f1``, ``per_label`` …) and a progress bar on stderr. A bad line, an empty text or a
missing label stops with a message naming the line and exit status 2 (``--skip-invalid`` leaves
such lines out and counts them instead).

``train FILE`` fits a model on the whole file, stores it as a new version under the data folder
and makes it the active one (the previous stays for ``minwon routing rollback``). ``train``
without FILE reads the city's own confirmed routings and needs the database.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, TextIO

__all__ = ["main", "read_examples"]

_PROG = "minwon routing"


class UsageError(Exception):
    """Bad input or arguments: one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            sys.stderr.write(message)
        raise SystemExit(status)


@dataclass(frozen=True)
class Examples:
    texts: list[str]
    labels: list[str]
    label_field: str
    skipped: int


def _open(path: str, stdin: TextIO) -> TextIO:
    if path == "-":
        return stdin
    try:
        return open(path, encoding="utf-8-sig")  # closed by the caller
    except OSError as exc:
        raise UsageError(f"{_PROG}: cannot read {path}: {exc.strerror or exc}") from exc


def _pick_label_field(record: dict[str, Any], line_no: int, wanted: str | None) -> str:
    if wanted is not None:
        if wanted not in record:
            fields = ", ".join(sorted(record)) or "none"
            raise UsageError(
                f"{_PROG}: line {line_no}: no label field {wanted!r} (fields: {fields}); "
                "choose one with --label FIELD"
            )
        return wanted
    if "label" in record:
        return "label"
    others = [k for k in record if k not in {"text", "id"}]
    if len(others) == 1:
        return others[0]
    fields = ", ".join(sorted(record)) or "none"
    raise UsageError(f"{_PROG}: line {line_no}: which field is the label? ({fields}); use --label")


def read_examples(
    lines: Iterable[str], *, label_field: str | None = None, skip_invalid: bool = False
) -> Examples:
    """Parse JSON Lines into texts and labels; raise :class:`UsageError` naming the bad line."""
    texts: list[str] = []
    labels: list[str] = []
    skipped = 0
    field = label_field
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        problem: str | None = None
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            record, problem = None, f"not valid JSON ({exc.msg})"
        if problem is None and not isinstance(record, dict):
            problem = "not a JSON object"
        if problem is None:
            assert isinstance(record, dict)
            if field is None:
                field = _pick_label_field(record, line_no, None)
            elif label_field is not None and not texts and not skipped:
                _pick_label_field(record, line_no, label_field)
            text = record.get("text")
            label = record.get(field)
            if not isinstance(text, str):
                problem = "no text (a string field `text` is required)"
            elif not text.strip():
                problem = "empty text"
            elif label is None or isinstance(label, (dict, list, bool)) or not str(label).strip():
                problem = f"no label in field {field!r}"
        if problem is not None:
            if skip_invalid:
                skipped += 1
                continue
            raise UsageError(
                f"{_PROG}: line {line_no}: {problem}; fix it or pass --skip-invalid to leave "
                "such lines out"
            )
        texts.append(str(text))
        labels.append(str(label).strip())
    if not texts:
        raise UsageError(f"{_PROG}: no examples in the input")
    return Examples(texts, labels, field or "label", skipped)


def _progress(stderr: TextIO, quiet: bool, total: int, desc: str) -> Any:
    from tqdm import tqdm

    def wrap(items: Iterable[Any]) -> Iterator[Any]:
        yield from tqdm(
            items, total=total, desc=desc, file=stderr, disable=quiet, mininterval=0.5, leave=False
        )

    return wrap


_TARGET_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _target(args: argparse.Namespace, field: str) -> str:
    target = args.target or (field if _TARGET_NAME.match(field) else "label")
    if not _TARGET_NAME.match(target):
        raise UsageError(f"{_PROG}: --target must be lower-case letters, digits and _")
    return str(target)


def _load(args: argparse.Namespace, stdin: TextIO) -> Examples:
    f = _open(args.file, stdin)
    try:
        return read_examples(f, label_field=args.label, skip_invalid=args.skip_invalid)
    except UnicodeDecodeError as exc:
        raise UsageError(f"{_PROG}: {args.file} is not UTF-8 text ({exc.reason})") from exc
    finally:
        if f is not stdin:
            f.close()


def _evaluate(args: argparse.Namespace, *, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from minwon.routing import classifier
    from minwon.routing.domain import prepare_text

    started = time.perf_counter()
    examples = _load(args, stdin)
    n = len(examples.texts)
    counts = Counter(examples.labels)
    warnings: list[str] = []
    if args.cv is not None:
        if args.cv < 2:
            raise UsageError(f"{_PROG}: --cv must be 2 or more")
        if args.cv > n:
            raise UsageError(f"{_PROG}: --cv {args.cv} needs at least {args.cv} examples, got {n}")
        if len(counts) < 2:
            raise UsageError(f"{_PROG}: need at least two different labels, got {len(counts)}")
        rare = sorted(label for label, c in counts.items() if c < args.cv)
        if rare:
            warnings.append(
                f"{len(rare)} label(s) have fewer than {args.cv} examples and are missing from "
                f"some training folds: {', '.join(rare)}"
            )
    docs = classifier.prepare_documents(
        examples.texts, progress=_progress(stderr, args.quiet, n, "tokenising")
    )
    unusable = Counter(
        str(p.reason) for p in (prepare_text(t) for t in examples.texts) if p.reason is not None
    )
    result: dict[str, Any]
    if args.cv is not None:
        configs = [("model", classifier.FeatureConfig())]
        if args.compare_baseline:
            configs.append(("baseline", classifier.BASELINE))
        results: dict[str, dict[str, Any]] = {}
        bar = _progress(stderr, args.quiet, args.cv * len(configs), "training folds")
        steps = iter(bar(range(args.cv * len(configs))))
        for name, config in configs:
            results[name] = classifier.cross_validate(
                docs,
                examples.labels,
                k=args.cv,
                config=config,
                seed=args.seed,
                on_fold=lambda _fold: next(steps, None),
            )
            results[name]["features"] = config.to_dict()
        result = results.pop("model")
        if results:
            result["baseline"] = results["baseline"]
        result["mode"] = "cross_validation"
        result["seed"] = args.seed
    else:
        target = _target(args, examples.label_field)
        store = classifier.ModelStore(args.model_dir or classifier.ModelStore.default_root())
        try:
            model = store.load(target)
        except classifier.ModelStoreError as exc:
            raise UsageError(f"{_PROG}: {exc}") from exc
        ranked = model.top_k(docs)
        result = classifier.evaluate_predictions(examples.labels, ranked)
        result["mode"] = "installed_model"
        result["model"] = {"target": target, "version": model.version, "n": model.n}
        unknown = sorted(set(examples.labels) - set(model.labels))
        if unknown:
            warnings.append(f"labels the model never saw: {', '.join(unknown)}")
    result["label_field"] = examples.label_field
    result["labels"] = dict(sorted(counts.items()))
    result["skipped_lines"] = examples.skipped
    result["no_suggestion_in_service"] = dict(sorted(unusable.items()))
    result["warnings"] = warnings
    result["seconds"] = round(time.perf_counter() - started, 2)
    for w in warnings:
        stderr.write(f"{_PROG}: warning: {w}\n")
    stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


def _train(
    args: argparse.Namespace,
    *,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    history_train: Callable[[str], int] | None = None,
) -> int:
    from minwon.routing import classifier

    if args.file is None:
        if history_train is None:
            raise UsageError(f"{_PROG}: give a JSON Lines FILE")
        target = args.target or "department"
        if target not in {"department", "kind"}:
            raise UsageError(f"{_PROG}: --target is department or kind for the city's history")
        return history_train(target)
    examples = _load(args, stdin)
    if len(set(examples.labels)) < 2:
        raise UsageError(f"{_PROG}: need at least two different labels to train")
    target = _target(args, examples.label_field)
    n = len(examples.texts)
    docs = classifier.prepare_documents(
        examples.texts, progress=_progress(stderr, args.quiet, n, "tokenising")
    )
    model = classifier.train(docs, examples.labels, target=target, source=f"file:{args.file}")
    store = classifier.ModelStore(args.model_dir or classifier.ModelStore.default_root())
    version = store.save(model, activate=True)
    stdout.write(json.dumps({**model.metadata(), "version": version}, ensure_ascii=False) + "\n")
    return 0


def _rollback(args: argparse.Namespace, *, stdout: TextIO) -> int:
    from minwon.routing import classifier

    store = classifier.ModelStore(args.model_dir or classifier.ModelStore.default_root())
    try:
        active = store.active_version(args.target)
        chosen = args.version or store.previous_version(args.target)
        if chosen is None:
            raise UsageError(f"{_PROG}: no earlier {args.target} model to roll back to")
        store.activate(args.target, chosen)
    except classifier.ModelStoreError as exc:
        raise UsageError(f"{_PROG}: {exc}") from exc
    stdout.write(json.dumps({"target": args.target, "active": chosen, "was": active}) + "\n")
    return 0


def _parser() -> _Parser:
    parser = _Parser(prog=_PROG, description="Train and evaluate complaint routing models.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--label", metavar="FIELD", help="the label field (default: label)")
        p.add_argument("--target", help="model name (default: the label field)")
        p.add_argument("--model-dir", help="where models are stored (default: data folder)")
        p.add_argument("--skip-invalid", action="store_true", help="leave bad lines out")
        p.add_argument("--quiet", action="store_true", help="no progress bar")

    ev = sub.add_parser("evaluate", help="score a labelled JSON Lines file")
    ev.add_argument("file", metavar="FILE")
    ev.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation")
    ev.add_argument("--seed", type=int, default=0, help="fold shuffling seed (default 0)")
    ev.add_argument(
        "--compare-baseline",
        action="store_true",
        help="also cross-validate character TF-IDF + logistic regression on the same folds",
    )
    common(ev)
    tr = sub.add_parser("train", help="train and install a model")
    tr.add_argument("file", metavar="FILE", nargs="?")
    common(tr)
    rb = sub.add_parser("rollback", help="make the previous (or a given) model version active")
    rb.add_argument("--target", required=True)
    rb.add_argument("--version")
    rb.add_argument("--model-dir")
    return parser


def main(
    argv: Sequence[str],
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    history_train: Callable[[str], int] | None = None,
) -> int:
    """``history_train(target)``: how the wiring trains on the database (it sets Django up)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = _parser().parse_args(list(argv))
        if args.command == "evaluate":
            return _evaluate(args, stdin=stdin, stdout=stdout, stderr=stderr)
        if args.command == "train":
            return _train(
                args, stdin=stdin, stdout=stdout, stderr=stderr, history_train=history_train
            )
        return _rollback(args, stdout=stdout)
    except UsageError as exc:
        stderr.write(f"{exc}\n")
        return 2
