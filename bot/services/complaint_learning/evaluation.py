"""Evaluating keyword files: accuracy, macro-F1 and the confusion matrix of predictions, K-fold
cross-validation of the learner with duplicates kept together, and a fixed file on labelled texts."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.services.classifier import TRIAGE_ID, ComplaintClassifier
from bot.services.complaint_learning.examples import Example, LabeledDataError, Tokenize, to_docs
from bot.services.complaint_learning.fitting import KeywordModel, LearnOptions, learn


# ---------------------------------------------------------------------- evaluation
@dataclass
class Evaluation:
    labels: list[str]
    accuracy: float
    macro_f1: float
    per_label: dict[str, dict[str, float]]
    confusion: dict[str, dict[str, int]]  # true label → predicted label → count
    n: int
    triaged: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "triaged": self.triaged,
            "per_label": self.per_label,
            "confusion": self.confusion,
            **self.extra,
        }


def evaluate(truth: Sequence[str], predicted: Sequence[str]) -> Evaluation:
    """Accuracy, macro-F1 over the true labels, per-label precision/recall/F1, confusion."""
    labels = sorted(set(truth))
    predicted_labels = labels + sorted(set(predicted) - set(labels))
    confusion = {t: dict.fromkeys(predicted_labels, 0) for t in labels}
    for t, p in zip(truth, predicted, strict=True):
        confusion[t][p] += 1
    per_label: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = confusion[label][label]
        support = sum(confusion[label].values())
        predicted_count = sum(row[label] for row in confusion.values())
        precision = tp / predicted_count if predicted_count else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
    correct = sum(t == p for t, p in zip(truth, predicted, strict=True))
    return Evaluation(
        labels=labels,
        accuracy=correct / len(truth) if truth else 0.0,
        macro_f1=sum(v["f1"] for v in per_label.values()) / len(labels) if labels else 0.0,
        per_label=per_label,
        confusion=confusion,
        n=len(truth),
        triaged=sum(p == TRIAGE_ID for p in predicted),
    )


def grouped_folds(examples: Sequence[Example], k: int, seed: int = 7) -> list[int]:
    """A fold number per example; exact duplicate texts share a fold; labels spread evenly."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, example in enumerate(examples):
        groups[example.text].append(i)
    by_label: dict[str, list[list[int]]] = defaultdict(list)
    for members in groups.values():
        by_label[examples[members[0]].label].append(members)
    rng = random.Random(seed)
    fold_of = [0] * len(examples)
    sizes = [0] * k
    for label in sorted(by_label):
        label_groups = by_label[label]
        rng.shuffle(label_groups)
        label_sizes = [0] * k
        for members in sorted(label_groups, key=len, reverse=True):
            fold = min(range(k), key=lambda f: (label_sizes[f], sizes[f], f))
            label_sizes[fold] += len(members)
            sizes[fold] += len(members)
            for i in members:
                fold_of[i] = fold
    return fold_of


def cross_validate(
    examples: Sequence[Example],
    tokenize: Tokenize,
    folds: int = 5,
    options: LearnOptions | None = None,
    group_duplicates: bool = True,
    progress: Callable[[int, Evaluation], None] | None = None,
) -> tuple[Evaluation, list[KeywordModel]]:
    """K-fold cross-validation of ``learn``: pooled predictions over all folds."""
    if folds < 2:
        raise LabeledDataError("need at least 2 folds")
    docs = to_docs(examples, tokenize)
    if group_duplicates:
        fold_of = grouped_folds(examples, folds, seed=(options or LearnOptions()).seed)
    else:
        order = list(range(len(examples)))
        random.Random((options or LearnOptions()).seed).shuffle(order)
        fold_of = [0] * len(examples)
        for position, i in enumerate(order):
            fold_of[i] = position % folds
    predicted = [""] * len(examples)
    models = []
    for fold in range(folds):
        train = [i for i in range(len(examples)) if fold_of[i] != fold]
        test = [i for i in range(len(examples)) if fold_of[i] == fold]
        if not test:
            continue
        model = learn([docs[i] for i in train], [examples[i].label for i in train], options)
        models.append(model)
        for i, label in zip(test, model.predict(docs[i] for i in test), strict=True):
            predicted[i] = label
        if progress is not None:
            progress(fold, evaluate([examples[i].label for i in test], [predicted[i] for i in test]))
    return evaluate([e.label for e in examples], predicted), models


def evaluate_classifier(examples: Sequence[Example], classifier: ComplaintClassifier) -> Evaluation:
    """How a fixed keyword file (shipped or learned) sorts the labeled texts. A label matches a
    category by id or by name; 待分拣 counts as wrong."""
    names = {c.id: c.name for c in classifier.categories.values()}
    label_set = {e.label for e in examples}
    predicted = []
    for example in examples:
        result = classifier.classify(example.text)
        label = result.category_id
        if label not in label_set and names.get(label) in label_set:
            label = names[label]
        predicted.append(label)
    return evaluate([e.label for e in examples], predicted)
