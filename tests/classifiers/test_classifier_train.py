from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import HELDOUT_CSV, run_cli, small_rows, write_rows

from classifiers.api import load_model


def test_train_csv_then_predict(small_model: Path):
    assert small_model.is_file()
    assert small_model.stat().st_size < 20 * 1024 * 1024
    proc = run_cli("predict", "--model", str(small_model), stdin="пахнет газом\n\n")
    assert proc.returncode == 0, proc.stderr.decode()
    first, empty = (json.loads(x) for x in proc.stdout.decode().splitlines())
    assert first["emergency"] is True
    assert empty["category"] == "other"


def test_train_tsv_without_emergency_column(tmp_path: Path):
    rows = [{"text": r["text"], "category": r["category"]} for r in small_rows(8)]
    data = write_rows(tmp_path / "export.tsv", rows, delimiter="\t")
    out = tmp_path / "m.skops"
    proc = run_cli("train", "--data", str(data), "--out", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    assert "hazard rules only" in proc.stdout.decode()
    model = load_model(str(out))
    assert not model.has_emergency_model
    assert model.predict("застряли в лифте").emergency is True  # rules still apply


def _bad(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def _few_rows_csv() -> str:
    lines = ["text,category,emergency"]
    lines += [f"нет воды {i},water,0" for i in range(6)]
    lines += [f"лифт сломан {i},elevator,{i % 2}" for i in range(6)]
    lines += ["пахнет газом,gas,1", "газовая плита,gas,0"]
    return "\n".join(lines) + "\n"


def _valid_body(category: str = "water", emergency: str = "0") -> str:
    lines = ["text,category,emergency"]
    lines += [f"нет воды {i},water,{i % 2}" for i in range(6)]
    lines += [f"лифт сломан {i},elevator,0" for i in range(6)]
    lines.append(f"странное,{category},{emergency}")
    return "\n".join(lines) + "\n"


BAD_FILES = [
    ("missing_column.csv", "text,label\nнет воды,water\n", "missing required column 'category'"),
    ("missing_text.csv", "message,category\nнет воды,water\n", "missing required column 'text'"),
    ("unknown_label.csv", _valid_body(category="plumbing"), "row 14: unknown category 'plumbing'"),
    ("empty.csv", "", "file is empty"),
    ("header_only.csv", "text,category\n", "no data rows"),
    ("cp1251.csv", "text,category\nнет воды,water\n".encode("cp1251"), "not valid UTF-8"),
    ("few.csv", _few_rows_csv(), "too few examples in column 'category' for: gas (2)"),
    (
        "bad_emergency.csv",
        _valid_body(emergency="maybe"),
        "row 14: bad value 'maybe' in column 'emergency'",
    ),
    ("ragged.csv", "text,category\nнет воды,water,extra\n", "row 2 has 3 fields"),
    ("empty_text.csv", "text,category\n,water\n", "row 2: empty 'text'"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_training_files(tmp_path: Path, small_model: Path, name: str, content, message: str):
    data = _bad(tmp_path / name, content)
    out = tmp_path / "existing.skops"
    shutil.copy(small_model, out)
    before = out.read_bytes()
    proc = run_cli("train", "--data", str(data), "--out", str(out))
    stderr = proc.stderr.decode()
    assert proc.returncode != 0
    assert "Traceback" not in stderr
    assert message in stderr, stderr
    assert out.read_bytes() == before  # nothing overwritten
    assert not list(tmp_path.glob(".tmp-*"))  # no temp files left behind


def test_train_missing_file(tmp_path: Path):
    proc = run_cli("train", "--data", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "m"))
    assert proc.returncode != 0
    assert "file not found" in proc.stderr.decode()
    assert not (tmp_path / "m").exists()


def test_eval_report(small_model: Path):
    proc = run_cli("eval", "--data", str(HELDOUT_CSV), "--model", str(small_model))
    assert proc.returncode == 0, proc.stderr.decode()
    text = proc.stdout.decode()
    for needle in (
        "precision",
        "recall",
        "f1",
        "macro-F1:",
        "confusion matrix",
        "emergency recall:",
        "false-alarm rate:",
        "water",
        "elevator",
    ):
        assert needle in text


def test_eval_bad_file(tmp_path: Path):
    data = _bad(tmp_path / "x.csv", "foo,bar\n1,2\n")
    proc = run_cli("eval", "--data", str(data))
    assert proc.returncode != 0
    assert "missing required column 'text'" in proc.stderr.decode()
