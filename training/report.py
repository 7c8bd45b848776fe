"""Report folders: the evaluation figures as Markdown plus PNG plots, for any labelled JSONL."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from training.metrics import Labelled, format_report

PLOTS = (
    "precision_recall.png",
    "recall_by_language.png",
    "false_positives_by_kind.png",
    "reliability.png",
    "confusion_matrix.png",
)


def _pyplot():  # noqa: ANN202 - matplotlib is an optional extra, imported only for reports
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def reliability_bins(items: list[Labelled], bins: int = 10) -> list[dict[str, float]]:
    """Mean predicted score against the observed positive rate, per score decile."""
    edges = np.linspace(0, 1, bins + 1)
    rows = []
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = [i for i in items if low <= i.score < high or (high == 1 and i.score == 1)]
        if inside:
            rows.append(
                {
                    "low": float(low),
                    "high": float(high),
                    "count": len(inside),
                    "mean_score": float(np.mean([i.score for i in inside])),
                    "positive_rate": float(np.mean([i.label for i in inside])),
                }
            )
    return rows


def write_report(items: list[Labelled], metrics: dict[str, Any], title: str, folder: Path) -> Path:
    """Writes report.md and the plots into ``folder``; returns the Markdown path."""
    from sklearn.metrics import precision_recall_curve

    plt = _pyplot()
    folder.mkdir(parents=True, exist_ok=True)
    labels = np.asarray([i.label for i in items])
    scores = np.asarray([i.score for i in items])
    thresholds = metrics["thresholds"]

    figure, axis = plt.subplots(figsize=(5, 4))
    if 0 < labels.sum() < len(labels):
        precision, recall, _ = precision_recall_curve(labels, scores)
        axis.plot(recall, precision)
        for name, marker in (("review", "o"), ("flag", "s")):
            at = metrics[f"at_{name}"]
            axis.plot(at["recall"], at["precision"], marker, label=f"{name} {thresholds[name]:.3f}")
        axis.legend()
    axis.set(
        xlabel="recall", ylabel="precision", title="Precision-recall", xlim=(0, 1), ylim=(0, 1.02)
    )
    figure.tight_layout()
    figure.savefig(folder / PLOTS[0], dpi=100)
    plt.close(figure)

    for key, plot, value, xlabel in (
        ("recall_by_language", PLOTS[1], "recall", "recall at flag"),
        ("false_positives_by_kind", PLOTS[2], "rate", "false-positive rate at flag"),
    ):
        rows = metrics[key]
        figure, axis = plt.subplots(figsize=(6, max(2.0, 0.35 * len(rows) + 1)))
        names = list(rows)
        axis.barh(names, [rows[n][value] for n in names])
        axis.invert_yaxis()
        axis.set(xlabel=xlabel, xlim=(0, 1) if value == "recall" else None)
        figure.tight_layout()
        figure.savefig(folder / plot, dpi=100)
        plt.close(figure)

    bins = reliability_bins(items)
    by_language: dict[str, list[Labelled]] = defaultdict(list)
    for item in items:
        by_language[item.lang].append(item)
    figure, axis = plt.subplots(figsize=(5, 4))
    axis.plot([0, 1], [0, 1], ":", color="grey")
    axis.plot(
        [b["mean_score"] for b in bins], [b["positive_rate"] for b in bins], "o-", label="all"
    )
    for lang, group in sorted(by_language.items()):
        if len(group) >= 50 and any(i.label for i in group):
            lang_bins = reliability_bins(group, bins=5)
            axis.plot(
                [b["mean_score"] for b in lang_bins],
                [b["positive_rate"] for b in lang_bins],
                ".-",
                alpha=0.5,
                label=lang,
            )
    axis.set(xlabel="mean score", ylabel="observed positive rate", title="Reliability")
    axis.legend(fontsize=6, ncol=2)
    figure.tight_layout()
    figure.savefig(folder / PLOTS[3], dpi=100)
    plt.close(figure)

    at_flag = metrics["at_flag"]
    tn = int((labels == 0).sum()) - at_flag["false_positives"]
    matrix = np.array(
        [[tn, at_flag["false_positives"]], [at_flag["false_negatives"], at_flag["true_positives"]]]
    )
    figure, axis = plt.subplots(figsize=(4, 3.5))
    axis.imshow(np.log1p(matrix), cmap="Blues")
    for (row, column), count in np.ndenumerate(matrix):
        axis.text(column, row, str(count), ha="center", va="center")
    axis.set(
        xticks=[0, 1],
        yticks=[0, 1],
        xticklabels=["not flagged", "flagged"],
        yticklabels=["label 0", "label 1"],
        title="At the flag threshold",
    )
    figure.tight_layout()
    figure.savefig(folder / PLOTS[4], dpi=100)
    plt.close(figure)

    markdown = folder / "report.md"
    images = "\n".join(f"![{p.removesuffix('.png')}]({p})" for p in PLOTS)
    calibration = "\n".join(
        f"| {b['low']:.1f}-{b['high']:.1f} | {b['count']} | {b['mean_score']:.3f} | {b['positive_rate']:.3f} |"
        for b in bins
    )
    markdown.write_text(
        "```\n" + format_report(title, metrics) + "```\n\n"
        "## Reliability (all messages)\n\n| score bin | messages | mean score | positive rate |\n"
        "|---|---:|---:|---:|\n" + calibration + "\n\n" + images + "\n",
        encoding="utf-8",
    )
    return markdown
