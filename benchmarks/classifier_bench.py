"""Benchmark of the request classifier.

Usage (from the repository root)::

    python benchmarks/classifier_bench.py                # everything (about 6 minutes)
    python benchmarks/classifier_bench.py --skip-cv      # without retraining (CV, sets left out)
    python benchmarks/classifier_bench.py --skip-frozen  # without the held-out frozen sets

Prints: macro-F1 per language and emergency recall / false alarms per class on the
independent frozen test sets (held-out figures: their texts are never listed, see
data/README.md); on each independent set the corpus includes, scored by a model trained
on the corpus without that set; on the project's own development sets; grouped 5-fold
cross-validation on the training corpus (no source fragment in two folds), a keyword-rule
baseline,
``predict`` wall time over 10,000 lines, in-process per-message p99 latency, model load
time and ``train`` wall time.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from classifiers.api import DEFAULT_MODEL_PATH  # noqa: E402
from classifiers.crossval import grouped_cv, subset  # noqa: E402
from classifiers.dataset import Dataset, load_dataset  # noqa: E402
from classifiers.metrics import evaluate, format_emergency_by_category  # noqa: E402
from classifiers.model import ClassifierModel, load, train  # noqa: E402
from classifiers.rules import keyword_baseline  # noqa: E402
from classifiers.text import normalize  # noqa: E402

TRAIN = REPO / "data" / "classifier" / "train.csv"
HELDOUT = REPO / "data" / "classifier" / "heldout.csv"
FRESH = REPO / "data" / "classifier" / "heldout_fresh.csv"
# the independent frozen sets (see data/README.md); once their misses are read they are
# development sets, and new dated files take their place
FROZEN = [REPO / "data" / "classifier" / f"frozen_2026-12-02{name}.csv" for name in "hij"]


def _by_lang(ds: Dataset) -> dict[str, list[int]]:
    langs = ds.langs or ["?"] * len(ds.texts)
    out: dict[str, list[int]] = {}
    for i, lang in enumerate(langs):
        out.setdefault(lang, []).append(i)
    return out


def _concat(sets: list[Dataset]) -> Dataset:
    """Labelled sets with languages and emergencies, as one."""
    return Dataset(
        texts=[t for ds in sets for t in ds.texts],
        categories=[c for ds in sets for c in ds.categories],
        emergency=[e for ds in sets for e in ds.emergency or []],
        langs=[lang for ds in sets for lang in ds.langs or []],
    )


def heldout_section(
    model: ClassifierModel, data: Path | list[Path], title: str, per_class: bool = False
) -> None:
    """Scores on one labelled file, or on several files taken together."""
    paths = data if isinstance(data, list) else [data]
    missing = [p for p in paths if not p.exists()]
    names = ", ".join(str(p.relative_to(REPO)) for p in paths)
    if missing:
        print(f"== {title} ({names}): not in this checkout")
        return
    loaded = [load_dataset(p, require_classes=False) for p in paths]
    ds = loaded[0] if len(loaded) == 1 else _concat(loaded)
    preds = model.predict_many(ds.texts)
    print(f"== {title} ({names}, {len(ds.texts)} messages, never trained on)")
    for lang, idx in sorted(_by_lang(ds).items(), reverse=True):
        truth = [ds.categories[i] for i in idx]
        rep = evaluate(truth, [preds[i].category for i in idx])
        base = evaluate(truth, [keyword_baseline(normalize(ds.texts[i])) for i in idx])
        print(
            f"  {lang}: n={len(idx):4d}  macro-F1 {rep.macro_f1:.4f}  accuracy {rep.accuracy:.4f}"
            f"   | keyword baseline macro-F1 {base.macro_f1:.4f}"
        )
    assert ds.emergency is not None
    rep = evaluate(
        ds.categories, [p.category for p in preds], ds.emergency, [p.emergency for p in preds]
    )
    print(
        f"  emergency recall {rep.emergency_recall:.4f} ({rep.n_emergency} emergencies), "
        f"false-alarm rate {rep.false_alarm_rate:.4f} ({rep.n_non_emergency} non-emergencies)"
    )
    for lang, idx in sorted(_by_lang(ds).items(), reverse=True):
        r = evaluate(
            [ds.categories[i] for i in idx],
            [preds[i].category for i in idx],
            [ds.emergency[i] for i in idx],
            [preds[i].emergency for i in idx],
        )
        print(
            f"    {lang}: recall {r.emergency_recall:.4f} (n={r.n_emergency}), "
            f"false alarms {r.false_alarm_rate:.4f} (n={r.n_non_emergency})"
        )
    if per_class:
        print("  emergency per true class:")
        print("    " + format_emergency_by_category(rep).replace("\n", "\n    "))


def left_out_section() -> None:
    """Each independent set the corpus includes, scored by a model trained without it.

    Its rules were still written after reading it, so this is a development figure; it
    tells how much a set of new wordings adds to the corpus."""
    corpus = load_dataset(TRAIN)
    assert corpus.groups is not None
    # generate.py names each such text's group after its set: «indep-c:17»
    names = sorted({g[len("indep-")] for g in corpus.groups if g.startswith("indep-")})
    for name in names:
        keep = [i for i, g in enumerate(corpus.groups) if not g.startswith(f"indep-{name}:")]
        model = train(subset(corpus, keep))
        data = REPO / "data" / "classifier" / f"frozen_2026-12-02{name}.csv"
        heldout_section(model, data, "independent set, left out of the corpus", per_class=True)


def cv_section(folds: int = 5) -> None:
    ds = load_dataset(TRAIN)
    print(f"== grouped {folds}-fold CV on the training corpus ({len(ds.texts)} messages)")
    results = grouped_cv(ds, folds)
    for lang in sorted({lang for r in results for lang in r.per_lang}, reverse=True):
        vals = [r.per_lang[lang] for r in results if lang in r.per_lang]
        print(f"  {lang}: macro-F1 {np.mean(vals):.4f} +/- {np.std(vals):.4f}")
    recall = [r.report.emergency_recall or 0.0 for r in results]
    far = [r.report.false_alarm_rate or 0.0 for r in results]
    print(f"  emergency recall {np.mean(recall):.4f}, false-alarm rate {np.mean(far):.4f}")
    print("  (no source fragment in two folds; texts of two fragments in two folds left out)")


def speed_section(model_path: Path) -> None:
    print("== speed")
    ds = load_dataset(HELDOUT, require_classes=False)
    train_ds = load_dataset(TRAIN)
    pool = ds.texts + train_ds.texts
    rng = random.Random(1)
    lines = [rng.choice(pool).replace("\n", " ") for _ in range(10_000)]
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    cmd = [sys.executable, "-m", "classifiers", "predict", "--model", str(model_path)]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]
    start = time.perf_counter()
    proc = subprocess.run(  # noqa: S603 (fixed argv, our own interpreter)
        cmd, input=payload, capture_output=True, cwd=REPO, env=env, check=True
    )
    elapsed = time.perf_counter() - start
    n_out = len(proc.stdout.splitlines())
    print(
        f"  predict, 10,000 lines, one core, process start included: {elapsed:.2f} s "
        f"({n_out} lines out)"
    )

    start = time.perf_counter()
    model = load(model_path)
    print(f"  model load time: {(time.perf_counter() - start) * 1000:.0f} ms")
    for text in lines[:200]:
        model.predict(text)
    times = []
    for text in lines[:5000]:
        t0 = time.perf_counter()
        model.predict(text)
        times.append(time.perf_counter() - t0)
    arr = np.array(times) * 1000
    print(
        f"  in-process per message: mean {arr.mean():.3f} ms, p50 {np.percentile(arr, 50):.3f} ms, "
        f"p99 {np.percentile(arr, 99):.3f} ms, max {arr.max():.3f} ms"
    )
    print(f"  model size: {model_path.stat().st_size / 1e6:.2f} MB")


def train_section() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.skops"
        cmd = [
            sys.executable,
            "-m",
            "classifiers",
            "train",
            "--data",
            str(TRAIN),
            "--out",
            str(out),
        ]
        start = time.perf_counter()
        subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)  # noqa: S603
        elapsed = time.perf_counter() - start
    print(f"== train on the shipped corpus: {elapsed:.1f} s (process start included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_PATH)
    parser.add_argument(
        "--skip-cv", action="store_true", help="skip retraining (grouped CV, sets left out)"
    )
    parser.add_argument(
        "--skip-frozen",
        action="store_true",
        help="leave the held-out frozen sets unscored (while the corpus or rules are changed)",
    )
    args = parser.parse_args()
    model = load(args.model)
    if not args.skip_frozen:
        for frozen in FROZEN:
            heldout_section(model, frozen, "frozen set (see data/README.md)", per_class=True)
        heldout_section(model, FROZEN, "the frozen sets together", per_class=True)
    heldout_section(model, HELDOUT, "development set")
    heldout_section(model, FRESH, "development set (used to widen the hazard rules)")
    if not args.skip_cv:
        left_out_section()
        cv_section()
    speed_section(args.model)
    train_section()


if __name__ == "__main__":
    main()
