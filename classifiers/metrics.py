"""Evaluation metrics and their text report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Report:
    labels: list[str]
    per_class: dict[str, tuple[float, float, float, int]]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]
    emergency_recall: float | None = None
    false_alarm_rate: float | None = None
    n_emergency: int = 0
    n_non_emergency: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    #: per true category: (emergencies caught, emergencies, false alarms, non-emergencies)
    emergency_by_category: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)


def _safe(num: float, den: float) -> float:
    return num / den if den else 0.0


def evaluate(
    y_true: Sequence[str],
    y_pred: Sequence[str],
    em_true: Sequence[bool] | None = None,
    em_pred: Sequence[bool] | None = None,
    texts: Sequence[str] | None = None,
) -> Report:
    labels = sorted(set(y_true) | set(y_pred))
    index = {label: i for i, label in enumerate(labels)}
    confusion = [[0] * len(labels) for _ in labels]
    for t, p in zip(y_true, y_pred, strict=True):
        confusion[index[t]][index[p]] += 1
    per_class: dict[str, tuple[float, float, float, int]] = {}
    f1s = []
    for label, i in index.items():
        tp = confusion[i][i]
        support = sum(confusion[i])
        predicted = sum(row[i] for row in confusion)
        precision = _safe(tp, predicted)
        recall = _safe(tp, support)
        f1 = _safe(2 * precision * recall, precision + recall)
        per_class[label] = (precision, recall, f1, support)
        if support:
            f1s.append(f1)
    correct = sum(confusion[i][i] for i in range(len(labels)))
    report = Report(
        labels=labels,
        per_class=per_class,
        macro_f1=sum(f1s) / len(f1s) if f1s else 0.0,
        accuracy=_safe(correct, len(y_true)),
        confusion=confusion,
    )
    if em_true is not None and em_pred is not None:
        pos = [p for t, p in zip(em_true, em_pred, strict=True) if t]
        neg = [p for t, p in zip(em_true, em_pred, strict=True) if not t]
        report.n_emergency = len(pos)
        report.n_non_emergency = len(neg)
        report.emergency_recall = _safe(sum(pos), len(pos)) if pos else None
        report.false_alarm_rate = _safe(sum(neg), len(neg)) if neg else None
        by_cat: dict[str, list[int]] = {}
        for cat, is_em, flagged in zip(y_true, em_true, em_pred, strict=True):
            counts = by_cat.setdefault(cat, [0, 0, 0, 0])
            first = 0 if is_em else 2
            counts[first] += flagged
            counts[first + 1] += 1
        report.emergency_by_category = {c: (v[0], v[1], v[2], v[3]) for c, v in by_cat.items()}
        if texts is not None:
            report.missed = [
                txt for txt, t, p in zip(texts, em_true, em_pred, strict=True) if t and not p
            ]
            report.false_alarms = [
                txt for txt, t, p in zip(texts, em_true, em_pred, strict=True) if p and not t
            ]
    return report


def macro_f1_by_lang(
    langs: Sequence[str], y_true: Sequence[str], y_pred: Sequence[str]
) -> dict[str, float]:
    """Macro-F1 of the texts of each language."""
    out = {}
    for lang in sorted(set(langs)):
        idx = [i for i, x in enumerate(langs) if x == lang]
        out[lang] = evaluate([y_true[i] for i in idx], [y_pred[i] for i in idx]).macro_f1
    return out


def format_emergency_by_category(report: Report) -> str:
    """Recall and false alarms of the emergency flag for each true problem type."""
    lines = [f"{'class':<16}{'recall':>14}{'false alarms':>20}"]
    for label in sorted(report.emergency_by_category):
        caught, pos, alarms, neg = report.emergency_by_category[label]
        rec = f"{caught}/{pos}" if pos else "-"
        far = f"{alarms}/{neg} ({alarms / neg:.0%})" if neg else "-"
        lines.append(f"{label:<16}{rec:>14}{far:>20}")
    return "\n".join(lines)


def format_report(report: Report) -> str:
    lines = [f"{'class':<16}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}"]
    for label in report.labels:
        p, r, f, s = report.per_class[label]
        lines.append(f"{label:<16}{p:>10.3f}{r:>10.3f}{f:>10.3f}{s:>9d}")
    lines.append("")
    lines.append(f"macro-F1: {report.macro_f1:.4f}")
    lines.append(f"accuracy: {report.accuracy:.4f}")
    lines.append("")
    lines.append("confusion matrix (rows = true, columns = predicted):")
    abbrev = [label[:5] for label in report.labels]
    lines.append(" " * 16 + "".join(f"{a:>6}" for a in abbrev))
    for label, row in zip(report.labels, report.confusion, strict=True):
        lines.append(f"{label:<16}" + "".join(f"{v:>6d}" for v in row))
    lines.append("")
    if report.emergency_recall is not None or report.false_alarm_rate is not None:
        rec = "n/a" if report.emergency_recall is None else f"{report.emergency_recall:.4f}"
        far = "n/a" if report.false_alarm_rate is None else f"{report.false_alarm_rate:.4f}"
        lines.append(f"emergency recall: {rec} (emergencies: {report.n_emergency})")
        lines.append(f"false-alarm rate: {far} (non-emergencies: {report.n_non_emergency})")
        lines.append("")
        lines.append("emergency per class (true class):")
        lines.append(format_emergency_by_category(report))
        for txt in report.missed[:20]:
            lines.append(f"  missed emergency: {txt[:100]}")
        for txt in report.false_alarms[:20]:
            lines.append(f"  false alarm: {txt[:100]}")
    else:
        lines.append("emergency: no 'emergency' column, not evaluated")
    return "\n".join(lines)
