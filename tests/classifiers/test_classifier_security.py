from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from conftest import run_cli
from sklearn.linear_model import LogisticRegression

from classifiers.api import DEFAULT_MODEL_PATH, load_model
from classifiers.model import FORMAT, ModelLoadError

CALLS: list[str] = []


class Payload:
    """A foreign type: loading it would mean constructing arbitrary objects."""

    def __setstate__(self, state):
        CALLS.append("executed")


def _foreign_type_file(path: Path) -> Path:
    sio.dump({"format": FORMAT, "payload": Payload()}, path)
    return path


def _sklearn_file(path: Path) -> Path:
    est = LogisticRegression().fit(np.array([[0.0], [1.0]]), np.array([0, 1]))
    sio.dump(est, path)
    return path


def _pickle_file(path: Path) -> Path:
    path.write_bytes(pickle.dumps({"format": FORMAT}))
    return path


def _garbage_file(path: Path) -> Path:
    path.write_bytes(b"not a model at all")
    return path


def _tampered_shipped(path: Path) -> Path:
    """The shipped model with one array replaced by an object array."""
    with zipfile.ZipFile(DEFAULT_MODEL_PATH) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "schema.json":
                data = data.replace(b'"__module__": "builtins"', b'"__module__": "os"', 1)
            dst.writestr(item, data)
    return path


def _wrong_layout(path: Path) -> Path:
    sio.dump({"format": FORMAT, "classes": ["a", "b"]}, path)
    return path


CASES = [
    ("foreign_type", _foreign_type_file, "not trusted"),
    ("sklearn_estimator", _sklearn_file, "not trusted: sklearn"),
    ("pickle", _pickle_file, "not a model file written by this service"),
    ("garbage", _garbage_file, "not a model file written by this service"),
    ("tampered_schema", _tampered_shipped, "not trusted: os.dict"),
    ("wrong_layout", _wrong_layout, "unexpected model layout"),
]


@pytest.mark.parametrize(("name", "make", "message"), CASES, ids=[c[0] for c in CASES])
def test_refuses_foreign_or_tampered_model(tmp_path: Path, name, make, message):
    path = make(tmp_path / f"{name}.skops")
    with pytest.raises(ModelLoadError) as info:
        load_model(str(path))
    assert message in str(info.value)
    assert CALLS == []
    proc = run_cli("predict", "--model", str(path), stdin="лифт\n")
    assert proc.returncode != 0
    assert proc.stdout == b""
    stderr = proc.stderr.decode()
    assert "Traceback" not in stderr
    assert "error:" in stderr


def test_missing_model(tmp_path: Path):
    with pytest.raises(ModelLoadError, match="not found"):
        load_model(str(tmp_path / "absent.skops"))


def test_strict_reader_matches_skops():
    from classifiers.model import read_state

    ours = read_state(DEFAULT_MODEL_PATH)
    theirs = sio.load(DEFAULT_MODEL_PATH, trusted=[])
    assert ours.keys() == theirs.keys()
    for key, value in ours.items():
        if isinstance(value, np.ndarray):
            assert np.array_equal(value, theirs[key]), key
        else:
            assert value == theirs[key], key
