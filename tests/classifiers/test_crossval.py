"""Grouped cross-validation keeps every source fragment on one side of each split."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TRAIN_CSV, run_cli, small_rows, write_rows

from classifiers.crossval import CrossValidationError, split
from classifiers.dataset import load_dataset


def test_no_fragment_is_trained_on_and_tested_in_one_fold() -> None:
    groups = load_dataset(TRAIN_CSV).groups
    assert groups is not None
    tested: set[int] = set()
    for train, test in split(groups, 5):
        assert not set(train) & set(test)
        seen = {g for i in train for g in groups[i].split()}
        assert not seen & {g for i in test for g in groups[i].split()}
        tested |= set(test)
    assert len(tested) > 0.8 * len(groups)  # only texts straddling two folds are left out


def test_split_refuses_too_few_groups() -> None:
    with pytest.raises(CrossValidationError):
        split(["a", "a", "a"], 5)


def test_cv_command(tmp_path: Path) -> None:
    data = write_rows(tmp_path / "small.csv", small_rows())
    proc = run_cli("cv", "--data", str(data), "--folds", "2")
    assert proc.returncode == 0, proc.stderr.decode()
    out = proc.stdout.decode()
    assert "fold 0:" in out and "fold 1:" in out and "grouped 2-fold macro-F1:" in out


def test_cv_needs_a_group_column(tmp_path: Path) -> None:
    rows = [{k: v for k, v in r.items() if k != "group"} for r in small_rows()]
    proc = run_cli("cv", "--data", str(write_rows(tmp_path / "nogroup.csv", rows)))
    assert proc.returncode == 2 and b"no 'group' column" in proc.stderr


def test_comment_lines_before_the_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "frozen.csv"
    path.write_text(
        "# frozen 2026-12-02\n# policy\ntext,category,emergency\nнет воды,water,0\n",
        encoding="utf-8",
    )
    ds = load_dataset(path, require_classes=False)
    assert ds.texts == ["нет воды"] and ds.emergency == [False]
