"""Grouped cross-validation: no source fragment is trained on and tested in the same fold.

The corpus is composed from hand-written fragments (``data/classifier/generate.py``): one
fragment yields many texts that differ only in greetings, addresses and noise.  Splitting
texts at random puts near-copies on both sides and overstates the score.  Here every
fragment belongs to one fold; a text is tested in a fold only when all its fragments belong
to that fold, and trained on only when none of them does (a text of two fragments that
straddles two folds is left out of that round).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.dataset import Dataset
from classifiers.metrics import Report, evaluate, macro_f1_by_lang


class CrossValidationError(ValueError):
    """The dataset cannot be cross-validated by groups (no group column, too few groups)."""


@dataclass(frozen=True)
class FoldResult:
    report: Report
    #: macro-F1 per language (when the dataset names languages)
    per_lang: dict[str, float]
    n_train: int
    n_test: int


def fold_of(fragment: str, folds: int) -> int:
    """A stable fold for a fragment id (the same on every machine and run)."""
    return zlib.crc32(fragment.encode("utf-8")) % folds


def split(groups: Sequence[str], folds: int) -> list[tuple[list[int], list[int]]]:
    """(train, test) row indices per fold; ``groups[i]`` lists row i's fragments."""
    if folds < 2:
        raise CrossValidationError("need at least 2 folds")
    row_folds = [{fold_of(g, folds) for g in groups_of.split()} for groups_of in groups]
    out = []
    for k in range(folds):
        train = [i for i, fs in enumerate(row_folds) if k not in fs]
        test = [i for i, fs in enumerate(row_folds) if fs == {k}]
        if not train or not test:
            raise CrossValidationError(f"fold {k} is empty; too few groups for {folds} folds")
        out.append((train, test))
    return out


def subset(ds: Dataset, idx: Sequence[int]) -> Dataset:
    """The rows ``idx`` of a dataset."""
    return Dataset(
        texts=[ds.texts[i] for i in idx],
        categories=[ds.categories[i] for i in idx],
        emergency=[ds.emergency[i] for i in idx] if ds.emergency is not None else None,
        langs=[ds.langs[i] for i in idx] if ds.langs is not None else None,
        groups=[ds.groups[i] for i in idx] if ds.groups is not None else None,
    )


def grouped_cv(ds: Dataset, folds: int = 5) -> list[FoldResult]:
    """Train on all but one fold and score the held-out fold, for each fold."""
    from classifiers.model import train

    if ds.groups is None:
        raise CrossValidationError("the dataset has no 'group' column")
    results = []
    for train_idx, test_idx in split(ds.groups, folds):
        model = train(subset(ds, train_idx))
        test = subset(ds, test_idx)
        preds = model.predict_many(test.texts)
        report = evaluate(
            test.categories,
            [p.category for p in preds],
            test.emergency,
            [p.emergency for p in preds] if test.emergency is not None else None,
        )
        per_lang = macro_f1_by_lang(test.langs or [], test.categories, [p.category for p in preds])
        results.append(FoldResult(report, per_lang, len(train_idx), len(test_idx)))
    return results
