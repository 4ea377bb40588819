"""Training, serialisation and inference of the request classifier.

Training uses scikit-learn: TF-IDF over character (``char_wb`` 2-5) and word
(1-2) n-grams (of the text with its first problem, or a later emergency, read twice when
it names several, as the labels follow them: :func:`stress_first_problem`), a linear SVM
calibrated with Platt scaling (``CalibratedClassifierCV``) for the category, and a logistic
regression for emergencies.  A text of several clauses whose whole-text pick is the problem
of a later clause takes the first clause the model is sure of
(:meth:`ClassifierModel._first_problem`), as the labels name the first problem.
Emergency = explicit hazard rules (:mod:`classifiers.rules`, which carry recall on clear
emergencies and weigh the place and the words) OR model probability >=
``emergency_threshold`` (the long tail), except for problems whose emergency depends on who
is inside or how far it reaches (a lift, heating, a door) and for calm look-alikes (a smell
with nothing pouring out, an old stain, a slow drip, sewage seeping from a yard well, a fall
on ice, roofing still on the roof, a burner's flame): there the rules decide.

The fitted pipeline is exported to plain arrays (vocabularies, idf weights,
linear weights, calibration parameters) and saved with skops.  Loading accepts
only files whose schema is made of an explicit allowlist of node types (dict,
list, JSON scalars, numeric/string numpy arrays); anything else - estimators,
functions, pickled objects - is refused before it is constructed, so loading
never executes code from the file.
Inference re-implements the two analysers and the linear algebra in numpy,
which makes single-message prediction take well under a millisecond; training
checks that the exported model reproduces scikit-learn's probabilities.
"""

from __future__ import annotations

import functools
import io
import json
import math
import os
import re
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from classifiers import rules
from classifiers.dataset import Dataset
from classifiers.text import fix_typos, has_content, mend, normalize

FORMAT = "housing-dispatch-classifier/1"
CHAR_NGRAMS = (2, 5)
WORD_NGRAMS = (1, 2)
TOKEN_PATTERN = r"(?u)\b\w+\b"  # noqa: S105 (a regex, not a secret)
# Every node of a model file's skops schema must be one of these (module, class, loader).
ALLOWED_NODES = frozenset(
    {("builtins", c, "JsonNode") for c in ("str", "int", "float", "bool", "NoneType")}
    | {
        ("builtins", "dict", "DictNode"),
        ("builtins", "list", "ListNode"),
        ("builtins", "str", "TypeNode"),
        ("numpy", "ndarray", "NdArrayNode"),
    }
)
MAX_MODEL_BYTES = 64 * 1024 * 1024
_KEYS = {
    "format",
    "classes",
    "char_vocab",
    "char_idf",
    "word_vocab",
    "word_idf",
    "weights",
    "bias",
    "calib_a",
    "calib_b",
    "emergency_weights",
    "emergency_bias",
    "emergency_threshold",
    "has_emergency_model",
    "n_train",
    "trained_at",
}
_WS = re.compile(r"\s\s+")
# Problems the model alone may not call emergencies: a stopped lift, a cold radiator or an
# open door is urgent work unless the words say someone is inside or a building is cold.
RULES_DECIDE = frozenset({"heating", "elevator", "doors_intercom"})
# The model's say on the long tail: the lowest probability whose false alarms in grouped
# cross-validation stay within half of the 2% allowed (real messages raise more than CV).
EMERGENCY_THRESHOLD = 0.5
# Words in at least this many training texts are the known spellings typos are mended to.
COMMON_DF = 5
# The hazard a model-only emergency most likely is, by problem type (for its advice).
_HAZARD_OF = {
    "water": rules.FLOOD,
    "sewerage": rules.SEWAGE,
    "electricity": rules.ELECTRIC,
    "gas": rules.GAS,
    "roof_facade": rules.STRUCTURE,
    "waste": rules.FIRE,
    "territory": rules.OUTDOOR,
}
_TOKEN = re.compile(TOKEN_PATTERN)
# Where a second problem begins in a letter or chat that names several: the label is the
# first problem, which a bag of words cannot tell from the others unless it counts twice.
_NEXT_PROBLEM = re.compile(
    r"\b(?:и|а|да) (?:ещ[её]|также|вот ещ[её]|плюс)\b|\bкроме того\b|\bзаодно\b|\bтакже\b|"
    r"\bво-вторых\b|\bвторое\b|(?<!\w)0[).] |\bплюс\b|\bпотом\b|"
    r"\balso\b|\bbesides\b|\banother thing\b|\bsecond(?:ly)?\b|\bplus\b|\band then\b"
)
# a marker this close to the start opens the first problem (an enumeration's «1)»)
_LEAD_MIN_CHARS = 16
# Where one clause ends and the next begins: a sentence, a comma, a dash, a word that adds a
# problem.  A bare «и» / «and» is no break: it mostly joins two sides of one problem («сифон
# подтекает и пахнет канализацией»).
_CLAUSE_BREAK = re.compile(
    r"\s*(?:[.!?;:]+|,|\s[-—–]\s|—)\s*"
    r"|\s+(?:а также|и ещ[её]|а ещ[её]|кроме того|ещ[её]|также|плюс|заодно|and also|also|plus)\s+"
)
_CLAUSE_WORD = re.compile(r"[а-яa-z]{3,}")
# A clause read alone names a problem only when the model is at least this sure of it.
CLAUSE_CONFIDENCE = 0.8


def clauses(normalized: str) -> list[str]:
    """The clauses of a normalised text that hold at least two words."""
    parts = _CLAUSE_BREAK.split(normalized)
    return [part for part in parts if len(_CLAUSE_WORD.findall(part)) >= 2]


def stress_first_problem(normalized: str) -> str:
    """The normalised text with its first problem repeated when a second one follows;
    when only a later one is an emergency (the label is then the emergency), that later
    part is repeated instead."""
    for match in _NEXT_PROBLEM.finditer(normalized):
        if match.start() >= _LEAD_MIN_CHARS:
            first = normalized[: match.start()]
            later = normalized[match.start() :]
            if rules.hazard(later) and not rules.hazard(first):
                return f"{normalized} {later}"
            return f"{normalized} {first}"
    return normalized


class ModelLoadError(RuntimeError):
    """The model file is missing, damaged or was not written by this service."""


class TrainingError(RuntimeError):
    """Training could not produce a usable model."""


@dataclass(frozen=True)
class Prediction:
    category: str
    confidence: float
    emergency: bool
    top: tuple[tuple[str, float], ...]
    #: the kind of emergency (one of :data:`classifiers.rules.HAZARDS`), None when there is
    #: none or the model could not tell which
    hazard: str | None = None


def _char_wb_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """Same n-grams as scikit-learn's ``analyzer='char_wb'``."""
    grams: list[str] = []
    append = grams.append
    for w in _WS.sub(" ", text).split():
        w = " " + w + " "
        wlen = len(w)
        for n in range(lo, hi + 1):
            offset = 0
            append(w[offset : offset + n])
            while offset + n < wlen:
                offset += 1
                append(w[offset : offset + n])
            if offset == 0:
                break
    return grams


def _word_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """Same n-grams as scikit-learn's ``analyzer='word'`` with our token pattern."""
    tokens = _TOKEN.findall(text)
    grams: list[str] = []
    n_tokens = len(tokens)
    for n in range(lo, min(hi, n_tokens) + 1):
        for i in range(n_tokens - n + 1):
            grams.append(" ".join(tokens[i : i + n]))
    return grams


class ClassifierModel:
    """A loaded classifier; thread-safe for prediction."""

    def __init__(self, state: dict[str, Any], source: str = "<memory>") -> None:
        self.source = source
        self.classes: tuple[str, ...] = tuple(state["classes"])
        self.char_vocab: dict[str, int] = {t: i for i, t in enumerate(state["char_vocab"].tolist())}
        self.word_vocab: dict[str, int] = {t: i for i, t in enumerate(state["word_vocab"].tolist())}
        self.char_idf = np.asarray(state["char_idf"], dtype=np.float64)
        self.word_idf = np.asarray(state["word_idf"], dtype=np.float64)
        n_char = len(self.char_vocab)
        # one matrix for category and emergency: columns = classes (+1 emergency)
        weights = np.asarray(state["weights"], dtype=np.float32)
        em_w = np.asarray(state["emergency_weights"], dtype=np.float32).reshape(-1, 1)
        self._w = np.hstack([weights, em_w])
        self._n_char = n_char
        self.bias = np.asarray(state["bias"], dtype=np.float64)
        self.calib_a = np.asarray(state["calib_a"], dtype=np.float64)
        self.calib_b = np.asarray(state["calib_b"], dtype=np.float64)
        self.emergency_bias = float(state["emergency_bias"])
        self.emergency_threshold = float(state["emergency_threshold"])
        self.has_emergency_model = bool(state["has_emergency_model"])
        self.n_train = int(state["n_train"])
        self._other = "other" if "other" in self.classes else self.classes[-1]
        # idf = ln((1 + n) / (1 + df)) + 1, so df >= COMMON_DF is idf <= this
        rare = math.log((1 + self.n_train) / (1 + COMMON_DF)) + 1
        self._common = {
            w: float(self.word_idf[i])
            for w, i in self.word_vocab.items()
            if " " not in w and self.word_idf[i] <= rare
        }
        self._mend = functools.lru_cache(maxsize=1 << 16)(
            functools.partial(mend, common=self._common)
        )

    # -- features ---------------------------------------------------------
    def _block(
        self, grams: list[str], vocab: dict[str, int], idf: np.ndarray, offset: int
    ) -> tuple[list[int], list[float]]:
        counts = Counter(grams)
        # in the text's order: a set's order follows string hashing, which differs per
        # process, and float32 sums in another order round the 4th decimal differently
        known = [g for g in counts if g in vocab]
        if not known:
            return [], []
        idx = [vocab[g] for g in known]
        vals = 1.0 + np.log(np.fromiter((counts[g] for g in known), np.float64, len(known)))
        vals *= idf[idx]
        vals /= math.sqrt(float(np.dot(vals, vals)))
        if offset:
            idx = [i + offset for i in idx]
        return idx, vals.tolist()

    def _scores(self, normalized: str) -> np.ndarray:
        ci, cv = self._block(
            _char_wb_ngrams(normalized, *CHAR_NGRAMS), self.char_vocab, self.char_idf, 0
        )
        wi, wv = self._block(
            _word_ngrams(normalized, *WORD_NGRAMS), self.word_vocab, self.word_idf, self._n_char
        )
        idx = ci + wi
        if not idx:
            return np.zeros(self._w.shape[1], dtype=np.float64)
        vals = np.asarray(cv + wv, dtype=np.float32)
        return (vals @ self._w[idx]).astype(np.float64)

    # -- probabilities ----------------------------------------------------
    def _class_proba(self, scores: np.ndarray) -> np.ndarray:
        """Calibrated class probabilities from :meth:`_scores` (its columns after the
        category's decisions are the emergency model's)."""
        n_dec = 1 if len(self.classes) == 2 else len(self.classes)
        return self._proba(scores[:n_dec] + self.bias)

    def _proba(self, decision: np.ndarray) -> np.ndarray:
        if len(self.classes) == 2:
            p1 = 1.0 / (1.0 + np.exp(self.calib_a[0] * decision[0] + self.calib_b[0]))
            return np.array([1.0 - p1, p1])
        proba = 1.0 / (1.0 + np.exp(self.calib_a * decision + self.calib_b))
        total = proba.sum()
        if total <= 0:
            return np.full(len(self.classes), 1.0 / len(self.classes))
        return np.clip(proba / total, 0.0, 1.0)  # type: ignore[no-any-return]

    def category_proba(self, text: str) -> np.ndarray:
        """Calibrated class probabilities (order of :attr:`classes`) for raw text."""
        return self._class_proba(self._scores(stress_first_problem(normalize(text))))

    def emergency_proba(self, text: str) -> float:
        if not self.has_emergency_model:
            return 0.0
        scores = self._scores(stress_first_problem(normalize(text)))
        return float(1.0 / (1.0 + math.exp(-(scores[-1] + self.emergency_bias))))

    def predict(self, text: str) -> Prediction:
        normalized = normalize(text)
        if not has_content(normalized):
            return self._empty()
        scores = self._scores(stress_first_problem(normalized))
        proba = self._class_proba(scores)
        order = np.argsort(-proba, kind="stable")[:3]
        top = tuple((self.classes[i], round(float(proba[i]), 4)) for i in order)
        category, confidence = top[0]
        kind = rules.hazard(normalized) or rules.hazard(
            fix_typos(normalized, self._common, self._mend)
        )
        emergency = kind is not None
        if (
            not emergency
            and self.has_emergency_model
            and category not in RULES_DECIDE
            and not rules.calm_look_alike(normalized)
        ):
            z = scores[-1] + self.emergency_bias
            emergency = 1.0 / (1.0 + math.exp(-z)) >= self.emergency_threshold
            kind = _HAZARD_OF.get(category) if emergency else None
        # the label of several problems is the first (an emergency among them is read twice)
        first = None if emergency else self._first_problem(normalized, top)
        if first is not None:
            category, confidence = first
            top = (first, *((c, p) for c, p in top if c != category))
        return Prediction(
            category=category, confidence=confidence, emergency=emergency, top=top, hazard=kind
        )

    def _first_problem(
        self, normalized: str, top: tuple[tuple[str, float], ...]
    ) -> tuple[str, float] | None:
        """The problem of the first clause the model is sure of, with that certainty, when
        the whole text's pick is the problem of a later clause (a louder or longer one) and
        the first is among the whole text's likeliest; else None."""
        parts = clauses(normalized)
        if len(parts) < 2:
            return None
        named: list[tuple[str, float]] = []
        for clause in parts:
            proba = self._class_proba(self._scores(clause))
            best = int(np.argmax(proba))
            if proba[best] >= CLAUSE_CONFIDENCE and self.classes[best] != self._other:
                named.append((self.classes[best], round(float(proba[best]), 4)))
        if len(named) < 2:
            return None
        first, picked = named[0][0], top[0][0]
        later = {c for c, _ in named[1:]}
        if first == picked or picked not in later or first not in {c for c, _ in top}:
            return None
        return named[0]

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        return [self.predict(t) for t in texts]

    def _empty(self) -> Prediction:
        uniform = round(1.0 / len(self.classes), 4)
        rest = [c for c in self.classes if c != self._other][:2]
        top = tuple((c, uniform) for c in [self._other, *rest])
        return Prediction(category=self._other, confidence=uniform, emergency=False, top=top)


# -- training -------------------------------------------------------------


def _vocab_array(vectorizer: Any) -> np.ndarray:
    vocab = vectorizer.vocabulary_
    terms = [""] * len(vocab)
    for term, i in vocab.items():
        terms[i] = term
    return np.array(terms, dtype=str)


def train(
    dataset: Dataset,
    *,
    svm_c: float = 0.3,
    emergency_c: float = 4.0,
    emergency_threshold: float = EMERGENCY_THRESHOLD,
    seed: int = 0,
) -> ClassifierModel:
    """Fit a model on a validated dataset and return it (not yet saved)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import FeatureUnion
    from sklearn.svm import LinearSVC

    texts = [stress_first_problem(normalize(t)) for t in dataset.texts]
    y = np.array(dataset.categories)
    classes = sorted(set(dataset.categories))
    min_count = min(Counter(dataset.categories).values())
    folds = max(2, min(3, min_count))

    char_vec = TfidfVectorizer(
        analyzer="char_wb", ngram_range=CHAR_NGRAMS, min_df=2, sublinear_tf=True, dtype=np.float64
    )
    word_vec = TfidfVectorizer(
        analyzer="word",
        ngram_range=WORD_NGRAMS,
        token_pattern=TOKEN_PATTERN,
        min_df=1,
        sublinear_tf=True,
        lowercase=False,
        dtype=np.float64,
    )
    char_vec.set_params(lowercase=False)
    features = FeatureUnion([("char", char_vec), ("word", word_vec)])
    svc = LinearSVC(C=svm_c, class_weight="balanced", random_state=seed)
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    calibrated = CalibratedClassifierCV(svc, method="sigmoid", cv=cv, ensemble=False)
    try:
        x = features.fit_transform(texts)
        calibrated.fit(x, y)
    except ValueError as exc:
        raise TrainingError(str(exc)) from None
    if list(calibrated.classes_) != classes:
        raise TrainingError("internal error: class order mismatch")
    inner = calibrated.calibrated_classifiers_[0]
    base = inner.estimator
    weights = base.coef_.T.astype(np.float32)
    bias = np.atleast_1d(base.intercept_).astype(np.float64)
    calib_a = np.array([c.a_ for c in inner.calibrators], dtype=np.float64)
    calib_b = np.array([c.b_ for c in inner.calibrators], dtype=np.float64)

    n_features = x.shape[1]
    has_em = dataset.emergency is not None and len(set(dataset.emergency)) == 2
    em_weights = np.zeros(n_features, dtype=np.float32)
    em_bias = 0.0
    threshold = emergency_threshold
    if has_em:
        assert dataset.emergency is not None
        y_em = np.array(dataset.emergency, dtype=int)
        lr = LogisticRegression(C=emergency_c, max_iter=3000)
        lr.fit(x, y_em)
        em_weights = lr.coef_[0].astype(np.float32)
        em_bias = float(lr.intercept_[0])

    state: dict[str, Any] = {
        "format": FORMAT,
        "classes": classes,
        "char_vocab": _vocab_array(char_vec),
        "char_idf": char_vec.idf_.astype(np.float64),
        "word_vocab": _vocab_array(word_vec),
        "word_idf": word_vec.idf_.astype(np.float64),
        "weights": weights,
        "bias": bias,
        "calib_a": calib_a,
        "calib_b": calib_b,
        "emergency_weights": em_weights,
        "emergency_bias": em_bias,
        "emergency_threshold": float(threshold),
        "has_emergency_model": bool(has_em),
        "n_train": len(texts),
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    model = ClassifierModel(state)
    _check_consistency(model, calibrated, features, texts)
    model.state = state  # type: ignore[attr-defined]
    return model


def _check_consistency(
    model: ClassifierModel, calibrated: Any, features: Any, texts: list[str]
) -> None:
    sample = texts[:: max(1, len(texts) // 200)][:200]
    expected = calibrated.predict_proba(features.transform(sample))
    got = np.array([model._class_proba(model._scores(t)) for t in sample])
    if not np.allclose(expected, got, atol=2e-3):
        diff = float(np.abs(expected - got).max())
        raise TrainingError(f"exported model does not reproduce scikit-learn output (max {diff})")


# -- persistence ----------------------------------------------------------


def save(model: ClassifierModel, path: str | Path) -> Path:
    """Write the model atomically: temp file in the target directory, then rename."""
    import skops.io as sio

    state = getattr(model, "state", None)
    if state is None:
        raise TrainingError("only freshly trained models can be saved")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".skops", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        sio.dump(state, tmp, compression=zipfile.ZIP_DEFLATED)
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o666 & ~umask)
        load(tmp)  # refuse to publish a file we could not read back
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def load(path: str | Path) -> ClassifierModel:
    """Load a model file written by :func:`save`, refusing anything else.

    The file is read by :func:`read_state`, a strict reader of the skops format
    that accepts only dicts, lists, JSON scalars and numeric/string numpy arrays
    (``allow_pickle=False``): nothing is imported, no class is resolved and no
    pickle is ever unpickled, so a hostile file cannot execute code.  (It also
    keeps scikit-learn out of the import path, so loading takes milliseconds.)
    """
    path = Path(path)
    if not path.is_file():
        raise ModelLoadError(f"{path}: model file not found")
    state = read_state(path)
    _validate_state(state, path)
    try:
        return ClassifierModel(state, source=str(path))
    except Exception as exc:
        raise ModelLoadError(f"{path}: inconsistent model file ({exc})") from None


def read_state(path: Path) -> Any:
    """Decode a skops file whose schema holds only :data:`ALLOWED_NODES`."""
    if not zipfile.is_zipfile(path):
        raise ModelLoadError(f"{path}: not a model file written by this service (not a skops file)")
    if path.stat().st_size > MAX_MODEL_BYTES:
        raise ModelLoadError(f"{path}: file too large for a model written by this service")
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("schema.json")
            if info.file_size > MAX_MODEL_BYTES:
                raise ModelLoadError(f"{path}: schema too large")
            schema = json.loads(zf.read(info))
            if not isinstance(schema, dict) or "protocol" not in schema:
                raise ModelLoadError(f"{path}: not a model file written by this service")
            return _decode(schema, zf, path, 0)
    except ModelLoadError:
        raise
    except Exception as exc:
        raise ModelLoadError(
            f"{path}: damaged or foreign model file ({type(exc).__name__}: {exc})"
        ) from None


def _decode(node: Any, zf: zipfile.ZipFile, path: Path, depth: int) -> Any:
    if depth > 8 or not isinstance(node, dict):
        raise ModelLoadError(f"{path}: unexpected model structure")
    key = (node.get("__module__"), node.get("__class__"), node.get("__loader__"))
    if key not in ALLOWED_NODES:
        raise ModelLoadError(
            f"{path}: refusing to load, the file contains types that are not trusted: "
            f"{key[0]}.{key[1]}"
        )
    loader = key[2]
    if loader == "JsonNode":
        value = json.loads(node["content"])
        if not isinstance(value, str | int | float | bool) and value is not None:
            raise ModelLoadError(f"{path}: unexpected JSON value in model file")
        return value
    if loader == "ListNode":
        return [_decode(item, zf, path, depth + 1) for item in node["content"]]
    if loader == "DictNode":
        for key_type in node.get("key_types", {}).get("content", []):
            _decode(key_type, zf, path, depth + 1)
        return {str(k): _decode(v, zf, path, depth + 1) for k, v in node["content"].items()}
    if loader == "TypeNode":
        return str
    # NdArrayNode
    if node.get("type") != "numpy":
        raise ModelLoadError(f"{path}: refusing to load, array stored as {node.get('type')!r}")
    array = np.load(io.BytesIO(zf.read(node["file"])), allow_pickle=False)
    if array.dtype.kind not in "fiUb":
        raise ModelLoadError(f"{path}: field has a forbidden dtype {array.dtype}")
    return array


def _validate_state(state: Any, path: Path) -> None:
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise ModelLoadError(f"{path}: not a model file written by this service (format mismatch)")
    if set(state) != _KEYS:
        raise ModelLoadError(f"{path}: unexpected model layout: {sorted(set(state) ^ _KEYS)}")
    for key, value in state.items():
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in "fiU":
                raise ModelLoadError(f"{path}: field {key!r} has a forbidden dtype {value.dtype}")
        elif isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise ModelLoadError(f"{path}: field {key!r} must be a list of strings")
        elif not isinstance(value, str | int | float | bool):
            raise ModelLoadError(f"{path}: field {key!r} has a forbidden type {type(value)}")
    n_classes = len(state["classes"])
    n_features = len(state["char_vocab"]) + len(state["word_vocab"])
    n_dec = 1 if n_classes == 2 else n_classes
    if state["weights"].shape != (n_features, n_dec) or state["emergency_weights"].shape != (
        n_features,
    ):
        raise ModelLoadError(f"{path}: weight shapes do not match the vocabulary")
