"""Command line: ``python -m classifiers {predict,train,eval,cv}``."""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from classifiers.dataset import DatasetError, load_dataset


def _default_model() -> Path:
    from classifiers.api import DEFAULT_MODEL_PATH

    return DEFAULT_MODEL_PATH


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m classifiers",
        description="Housing-maintenance request classifier: category, confidence, emergency.",
    )
    sub = parser.add_subparsers(dest="command", metavar="{predict,train,eval,cv}")
    sub.required = True

    p_predict = sub.add_parser(
        "predict",
        help="classify UTF-8 lines from stdin, one JSON object per line on stdout",
        description="Read UTF-8 lines from stdin and write one JSON object per line to stdout "
        '(same order): {"category", "confidence", "emergency", "top", "hazard"}.',
    )
    p_predict.add_argument("--model", metavar="PATH", help="model file (default: shipped model)")

    p_train = sub.add_parser(
        "train",
        help="train a model from a labelled CSV/TSV file",
        description="Train from a CSV or TSV with columns 'text', 'category' and optional "
        "'emergency' (1/0). The output is written only if training succeeds.",
    )
    p_train.add_argument("--data", metavar="PATH", required=True, help="labelled CSV or TSV")
    p_train.add_argument(
        "--out",
        metavar="PATH",
        default="classifier.skops",
        help="where to write the model (default: ./classifier.skops)",
    )

    p_eval = sub.add_parser(
        "eval",
        help="evaluate a model on a labelled CSV/TSV file",
        description="Per-class precision/recall/F1, macro-F1, confusion matrix, "
        "emergency recall and false-alarm rate.",
    )
    p_eval.add_argument("--data", metavar="PATH", required=True, help="labelled CSV or TSV")
    p_eval.add_argument("--model", metavar="PATH", help="model file (default: shipped model)")

    p_cv = sub.add_parser(
        "cv",
        help="grouped cross-validation on a labelled file with a 'group' column",
        description="Train and score once per fold; texts that share a source fragment "
        "(column 'group', space-separated fragment ids) never sit in two folds.",
    )
    p_cv.add_argument("--data", metavar="PATH", required=True, help="labelled CSV or TSV")
    p_cv.add_argument("--folds", type=int, default=5, help="number of folds (default: 5)")
    return parser


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _cmd_predict(args: argparse.Namespace) -> int:
    from classifiers.api import load_model
    from classifiers.model import ModelLoadError

    try:
        model = load_model(args.model)
    except ModelLoadError as exc:
        return _fail(str(exc))
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline=None)
    out = sys.stdout
    for line in stdin:
        p = model.predict(line.rstrip("\r\n"))
        record = {
            "category": p.category,
            "confidence": p.confidence,
            "emergency": p.emergency,
            "top": [[c, v] for c, v in p.top],
            "hazard": p.hazard,
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from classifiers.model import TrainingError, save, train

    try:
        dataset = load_dataset(args.data)
    except DatasetError as exc:
        return _fail(str(exc))
    started = time.perf_counter()
    try:
        model = train(dataset)
        path = save(model, args.out)
    except TrainingError as exc:
        return _fail(f"training failed: {exc}")
    except OSError as exc:
        return _fail(f"cannot write model to {args.out}: {exc.strerror or exc}")
    elapsed = time.perf_counter() - started
    em = "model + hazard rules" if model.has_emergency_model else "hazard rules only"
    print(
        f"trained on {len(dataset.texts)} examples, {len(model.classes)} classes, "
        f"emergency: {em} (threshold {model.emergency_threshold:.2f}); "
        f"{elapsed:.1f}s; written to {path}"
    )
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    from classifiers.api import load_model
    from classifiers.metrics import evaluate, format_report, macro_f1_by_lang
    from classifiers.model import ModelLoadError

    try:
        model = load_model(args.model)
    except ModelLoadError as exc:
        return _fail(str(exc))
    try:
        dataset = load_dataset(args.data, require_classes=False)
    except DatasetError as exc:
        return _fail(str(exc))
    unknown = sorted(set(dataset.categories) - set(model.classes))
    if unknown:
        return _fail(f"{args.data}: categories not known to the model: {', '.join(unknown)}")
    preds = model.predict_many(dataset.texts)
    report = evaluate(
        dataset.categories,
        [p.category for p in preds],
        dataset.emergency,
        [p.emergency for p in preds] if dataset.emergency is not None else None,
        dataset.texts,
    )
    print(f"model: {model.source}")
    print(f"examples: {len(dataset.texts)}")
    if dataset.langs is not None:
        f1 = macro_f1_by_lang(dataset.langs, dataset.categories, [p.category for p in preds])
        for lang in sorted(f1, reverse=True):
            print(f"macro-F1 {lang}: {f1[lang]:.4f} (n={dataset.langs.count(lang)})")
    print(format_report(report))
    return 0


def _cmd_cv(args: argparse.Namespace) -> int:
    from classifiers.crossval import CrossValidationError, grouped_cv
    from classifiers.model import TrainingError

    try:
        dataset = load_dataset(args.data)
        results = grouped_cv(dataset, args.folds)
    except (DatasetError, CrossValidationError, TrainingError) as exc:
        return _fail(str(exc))
    for k, r in enumerate(results):
        langs = "  ".join(f"{lang} {f1:.4f}" for lang, f1 in sorted(r.per_lang.items()))
        em = ""
        if r.report.emergency_recall is not None and r.report.false_alarm_rate is not None:
            em = (
                f"  emergency recall {r.report.emergency_recall:.4f}"
                f" false alarms {r.report.false_alarm_rate:.4f}"
            )
        print(
            f"fold {k}: train {r.n_train}, test {r.n_test}, "
            f"macro-F1 {r.report.macro_f1:.4f}  {langs}{em}"
        )
    mean = sum(r.report.macro_f1 for r in results) / len(results)
    print(f"grouped {args.folds}-fold macro-F1: {mean:.4f}")
    for lang in sorted({lang for r in results for lang in r.per_lang}, reverse=True):
        vals = [r.per_lang[lang] for r in results if lang in r.per_lang]
        print(f"  {lang}: {sum(vals) / len(vals):.4f}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    handlers = {"predict": _cmd_predict, "train": _cmd_train, "eval": _cmd_eval, "cv": _cmd_cv}
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
