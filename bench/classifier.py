"""Complaint classifier benchmarks.

- speed: ``classify`` against the same jieba tokenizer's ``lcut`` on the same texts, same run
  (ratio = classify throughput / lcut throughput; target ≥ 0.9 on short complaints, the ones of
  tests/data/complaints_examples.yaml up to SHORT_CHARS characters, ~16 on average), and p99
  latency per complaint. ``classify`` cuts, finds the words inside compounds (jieba's search mode),
  matches, checks the urgent kinds and decides; the baseline only cuts.
- learned_cv: 5-fold cross-validation (exact duplicates in the same fold) of the learned keyword
  model on ../shared/datasets/complaints_train.csv: accuracy, macro-F1 (target ≥ 0.90), and the
  model's size (keywords per label) beside the score.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from typing import Any

import yaml

from bench.run import result
from bot.config import PROJECT_ROOT, SHIPPED_DATA_DIR
from bot.services import complaint_learning as learning
from bot.services.classifier import ComplaintClassifier

DATASET = PROJECT_ROOT.parent / "shared" / "datasets" / "complaints_train.csv"
EXAMPLES = PROJECT_ROOT / "tests" / "data" / "complaints_examples.yaml"
SHORT_CHARS = 20  # "short complaints" of the target: what residents type in one line


def _texts(quick: bool) -> dict[str, list[str]]:
    resident = [e["text"] for e in yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))["examples"]]
    sets = {
        "resident_complaints": [t for t in resident if len(t) <= SHORT_CHARS],
        "long_resident_complaints": [t for t in resident if len(t) > SHORT_CHARS],
    }
    if DATASET.is_file():
        posts = [e.text for e in learning.read_labeled_csv(DATASET)]
        sets["message_board_posts"] = posts[: 100 if quick else 1000]
    return sets


def _paired_times(
    base: Callable[[str], Any], function: Callable[[str], Any], texts: list[str], rounds: int
) -> tuple[list[float], list[float], list[float]]:
    """Per text, the fastest of `rounds` timings of base and of function, run alternately text by
    text: load spikes from other processes on this shared machine hit both sides alike. Also every
    single timing of function (for latency percentiles)."""
    best_base = [float("inf")] * len(texts)
    best_function = [float("inf")] * len(texts)
    samples: list[float] = []
    clock = time.perf_counter
    for round_number in range(rounds):
        # Swap which side runs first each round: the second call on a text finds warm caches.
        first, second = (base, function) if round_number % 2 == 0 else (function, base)
        for i, text in enumerate(texts):
            t0 = clock()
            first(text)
            t1 = clock()
            second(text)
            t2 = clock()
            base_time, function_time = (t1 - t0, t2 - t1) if first is base else (t2 - t1, t1 - t0)
            best_base[i] = min(best_base[i], base_time)
            best_function[i] = min(best_function[i], function_time)
            samples.append(function_time)
    return best_base, best_function, samples


def speed(quick: bool = False) -> Iterator[dict[str, Any]]:
    classifier = ComplaintClassifier.load(SHIPPED_DATA_DIR)
    configs = {"shipped": classifier}
    learned = PROJECT_ROOT / "bench" / "out" / "learned_complaints.yaml"
    if learned.is_file():  # written by classifier_cv: a few hundred keywords per label
        configs["learned"] = ComplaintClassifier.load(SHIPPED_DATA_DIR, categories_file=learned)
    for set_name, texts in _texts(quick).items():
        for config_name, model in configs.items():
            model.classify(texts[0])
            base, best, samples = _paired_times(
                model.tokenizer.lcut, model.classify, texts, 4 if quick else 6
            )
            samples.sort()
            yield result(
                f"classifier.throughput.{config_name}.{set_name}",
                len(texts) / sum(best),
                "texts/s",
                baseline=len(texts) / sum(base),
                target_ratio=0.9 if set_name == "resident_complaints" else None,
                baseline_is="jieba lcut (same tokenizer and user dictionary), alternated text by text",
                texts=len(texts),
                mean_chars=round(sum(map(len, texts)) / len(texts)),
            )
            yield result(
                f"classifier.p99_latency.{config_name}.{set_name}",
                samples[int(0.99 * (len(samples) - 1))] * 1000,
                "ms",
                higher_is_better=False,
                median_ms=round(samples[len(samples) // 2] * 1000, 3),
            )


def _svm_reference(
    examples: list[learning.Example], tokenize: Callable[[str], list[str]], quick: bool
) -> dict[str, Any]:
    """The opaque reference the issue names (TF-IDF + linear SVM, scikit-learn, not a project
    dependency) on the same duplicate-grouped folds, and on plain random folds (duplicates leak)."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
        from sklearn.metrics import accuracy_score, f1_score  # type: ignore[import-untyped]
        from sklearn.svm import LinearSVC  # type: ignore[import-untyped]
    except ImportError:
        print("classifier.learned_cv: SVM reference skipped (scikit-learn not installed)")
        return {}
    cache: dict[str, list[str]] = {}
    for example in examples:
        if example.text not in cache:
            cache[example.text] = tokenize(example.text)
    docs = [cache[e.text] for e in examples]
    labels = [e.label for e in examples]
    order = list(range(len(examples)))
    random.Random(learning.LearnOptions().seed).shuffle(order)
    plain = [0] * len(examples)
    for position, i in enumerate(order):
        plain[i] = position % 5
    out: dict[str, Any] = {"model": "TfidfVectorizer(sublinear_tf) + LinearSVC(C=1), jieba words"}
    for name, fold_of in (("grouped", learning.grouped_folds(examples, 5)), ("random", plain)):
        predicted = [""] * len(examples)
        for fold in range(5):
            train = [i for i in range(len(examples)) if fold_of[i] != fold]
            test = [i for i in range(len(examples)) if fold_of[i] == fold]
            vectorizer = TfidfVectorizer(analyzer=lambda words: words, sublinear_tf=True)
            model = LinearSVC(C=1.0).fit(
                vectorizer.fit_transform([docs[i] for i in train]), [labels[i] for i in train]
            )
            for i, label in zip(
                test, model.predict(vectorizer.transform([docs[i] for i in test])), strict=True
            ):
                predicted[i] = str(label)
        out[f"{name}_macro_f1"] = round(float(f1_score(labels, predicted, average="macro")), 4)
        out[f"{name}_accuracy"] = round(float(accuracy_score(labels, predicted)), 4)
    return out


def learned_cv(quick: bool = False) -> Iterator[dict[str, Any]]:
    if not DATASET.is_file():
        print(f"classifier.learned_cv skipped: {DATASET} not found")
        return
    classifier = ComplaintClassifier.load(SHIPPED_DATA_DIR)
    examples = learning.read_labeled_csv(DATASET)
    options = learning.LearnOptions()
    if quick:
        examples, options.iterations = examples[::4], 60
    started = time.perf_counter()
    evaluation, models = learning.cross_validate(examples, classifier.tokens, folds=5, options=options)
    seconds = time.perf_counter() - started
    sizes = {label: round(sum(m.size()[label] for m in models) / len(models)) for label in models[0].labels}
    extra = {
        "folds": 5,
        "duplicates_grouped": True,
        "rows": len(examples),
        "keywords_per_label": sizes,
        "max_keywords_per_label": options.max_keywords,
        "seconds": round(seconds, 1),
    }
    reference = _svm_reference(examples, classifier.tokens, quick)
    if reference:
        extra["svm_reference"] = reference
    yield result(
        "classifier.learned_cv.macro_f1",
        evaluation.macro_f1,
        "macro-F1",
        target=0.90,
        baseline=reference.get("grouped_macro_f1") if reference else None,
        baseline_is="TF-IDF + LinearSVC on all jieba words, same grouped folds" if reference else None,
        **extra,
    )
    yield result("classifier.learned_cv.accuracy", evaluation.accuracy, "accuracy", **extra)
    yield result(
        "classifier.learned_cv.per_label_f1",
        evaluation.macro_f1,
        "macro-F1",
        per_label={label: row["f1"] for label, row in evaluation.per_label.items()},
    )
    if not quick:  # the same learner on plain random folds: what duplicates add when they leak
        plain, _ = learning.cross_validate(
            examples, classifier.tokens, folds=5, options=options, group_duplicates=False
        )
        yield result(
            "classifier.learned_cv.random_folds_macro_f1",
            plain.macro_f1,
            "macro-F1",
            baseline=reference.get("random_macro_f1") if reference else None,
            baseline_is="TF-IDF + LinearSVC, same random folds" if reference else None,
            accuracy=round(plain.accuracy, 4),
        )
    # The full-data model, for reading and for the speed benchmark.
    model = learning.learn_from_examples(examples, classifier.tokens, options)
    out = PROJECT_ROOT / "bench" / "out" / "learned_complaints.yaml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        learning.model_to_yaml(model, classifier.departments, classifier, source=DATASET.name),
        encoding="utf-8",
    )
    yield result(
        "classifier.learned_model.keywords",
        sum(model.size().values()),
        "keywords",
        keywords_per_label=model.size(),
        file=str(out.relative_to(PROJECT_ROOT)),
    )
