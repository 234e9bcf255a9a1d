"""Learning and evaluating keyword weights from labeled history (``text,label`` CSV).

The learned model is what the classifier already computes: per label a bias plus the sum of the
weights of its keywords found in the complaint (each keyword once). Keywords are jieba tokens and
pairs of adjacent tokens (phrases, written with a space: ``"垃圾 清运"``). Training is a multinomial
logistic regression on those binary features, in plain numpy:

1. fit all features (seen in ≥ ``min_df`` training texts) with L2 regularisation;
2. keep per label the ``max_keywords`` features with the largest |weight| (negative weights count:
   "学校" speaks against 卫生计生 as much as for 教育文体);
3. fit again with only the kept keywords, so the pruned list is consistent on its own.

Evaluation uses K folds that keep exact duplicate texts together (reposted complaints would
otherwise be in train and test at once and inflate the score).
"""

from __future__ import annotations

import csv
import itertools
import math
import random
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from bot.services.classifier import TRIAGE_ID, ComplaintClassifier, Department
from bot.yaml_files import parse_yaml

Tokenize = Callable[[str], list[str]]


class LabeledDataError(ValueError):
    """The labeled CSV cannot be used; the message says why (file, line)."""


# ---------------------------------------------------------------------- data
@dataclass(frozen=True)
class Example:
    text: str
    label: str


def read_labeled_csv(path: Path) -> list[Example]:
    """Rows of a ``text,label`` CSV (UTF-8, BOM tolerated); blank rows skipped."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise LabeledDataError(f"{path}: file not found") from None
    examples: list[Example] = []
    with handle:
        reader = csv.DictReader(handle)
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        if "text" not in fields or "label" not in fields:
            raise LabeledDataError(f"{path}: needs the columns text,label (found: {', '.join(fields)})")
        reader.fieldnames = fields
        try:
            for row in reader:
                text, label = (row.get("text") or "").strip(), (row.get("label") or "").strip()
                if text and label:
                    examples.append(Example(text, label))
        except (csv.Error, UnicodeDecodeError) as error:
            raise LabeledDataError(f"{path}: line {reader.line_num}: {error}") from None
    if not examples:
        raise LabeledDataError(f"{path}: no labeled rows")
    return examples


# Function words say nothing about a complaint's subject: never keywords (readability).
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "有",
        "和",
        "与",
        "及",
        "也",
        "都",
        "就",
        "很",
        "还",
        "又",
        "再",
        "才",
        "把",
        "被",
        "让",
        "给",
        "对",
        "向",
        "从",
        "到",
        "于",
        "为",
        "以",
        "而",
        "或",
        "但",
        "并",
        "等",
        "这",
        "那",
        "其",
        "之",
        "个",
        "些",
        "我",
        "我们",
        "你",
        "你们",
        "他",
        "她",
        "它",
        "他们",
        "她们",
        "自己",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "着",
        "过",
        "得",
        "地",
        "一个",
        "没有",
        "不",
        "没",
        "能",
        "会",
        "要",
        "可以",
        "什么",
        "怎么",
        "如何",
        "因为",
        "所以",
        "如果",
        "已经",
        "这个",
        "那个",
        "这样",
        "就是",
        "还是",
        "以及",
        "进行",
        "相关",
    ]
)


def _useful(token: str) -> bool:
    """Words worth a keyword: some letter or CJK character, no digits (dates, numbers, ids)."""
    if token in STOPWORDS:
        return False
    has_letter = False
    for char in token:
        category = unicodedata.category(char)
        if category[0] == "N":
            return False
        if category[0] == "L":
            has_letter = True
    return has_letter


def features(tokens: Sequence[str]) -> set[str]:
    """The candidate keywords of one text: its useful tokens and adjacent useful pairs."""
    useful = [t if _useful(t) else "" for t in tokens]
    found = {t for t in useful if t}
    found.update(f"{a} {b}" for a, b in itertools.pairwise(useful) if a and b)
    return found


@dataclass(frozen=True)
class Doc:
    """A text as the model sees it: its candidate keywords, its length in words, and how often
    each useful word occurs (for tf-idf weighting)."""

    features: frozenset[str]
    n_words: int
    counts: tuple[tuple[str, int], ...] = ()

    def scale(self, length_norm_words: float) -> float:
        if not length_norm_words or not self.n_words:
            return 1.0
        return math.sqrt(length_norm_words / self.n_words)


def to_docs(examples: Iterable[Example], tokenize: Tokenize) -> list[Doc]:
    cache: dict[str, Doc] = {}
    docs = []
    for example in examples:
        doc = cache.get(example.text)
        if doc is None:
            tokens = tokenize(example.text)
            counts = Counter(t for t in tokens if _useful(t))
            doc = cache[example.text] = Doc(
                frozenset(features(tokens)), len(tokens), tuple(sorted(counts.items()))
            )
        docs.append(doc)
    return docs


def learn_from_examples(
    examples: Sequence[Example], tokenize: Tokenize, options: LearnOptions | None = None
) -> KeywordModel:
    return learn(to_docs(examples, tokenize), [e.label for e in examples], options)


# ---------------------------------------------------------------------- sparse binary matrix
@dataclass
class BinaryMatrix:
    """Rows of binary features (CSR without values): just enough for a linear model."""

    indptr: np.ndarray
    indices: np.ndarray
    n_cols: int
    values: np.ndarray | None = None  # None: every stored entry is 1

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    @classmethod
    def build(cls, rows: Iterable[Iterable[int]], n_cols: int) -> BinaryMatrix:
        indptr, indices = [0], []
        for row in rows:
            indices.extend(sorted(set(row)))
            indptr.append(len(indices))
        return cls(np.asarray(indptr, np.int64), np.asarray(indices, np.int64), n_cols)

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """self @ weights (n_cols × L → n_rows × L)."""
        out = np.zeros((self.n_rows, weights.shape[1]))
        starts = self.indptr[:-1]
        nonempty = self.indptr[1:] > starts
        if self.indices.size:
            gathered = weights[self.indices]
            if self.values is not None:
                gathered = gathered * self.values[:, None]
            out[nonempty] = np.add.reduceat(gathered, starts[nonempty], axis=0)
        return out

    def tdot(self, values: np.ndarray) -> np.ndarray:
        """selfᵀ @ values (n_rows × L → n_cols × L)."""
        rows = np.repeat(np.arange(self.n_rows), np.diff(self.indptr))
        out = np.empty((self.n_cols, values.shape[1]))
        for j in range(values.shape[1]):
            column = values[rows, j] if self.values is None else values[rows, j] * self.values
            out[:, j] = np.bincount(self.indices, weights=column, minlength=self.n_cols)
        return out


# ---------------------------------------------------------------------- model
@dataclass
class LearnOptions:
    max_keywords: int = 500  # per label, after pruning
    min_df: int = 2  # a keyword must occur in this many training texts
    l2: float = 5e-5  # L2 penalty on the weights (per example)
    iterations: int = 150
    learning_rate: float = 0.1
    seed: int = 7
    # Long posts match many keywords: scale the keyword sum by √(length_norm_words / words in the
    # text) so a long letter and a short note weigh alike (0 = plain sum).
    length_norm_words: float = 100.0
    # Weigh each label's examples alike in the loss (macro-F1 counts every label alike; a city's
    # history is lopsided: few 交通运输 posts, many 城乡建设).
    balanced: bool = True
    # "tfidf" (default): single words weighted (1 + ln count) × idf, the vector of the keywords
    # found scaled to unit length (``scoring: tfidf``); "binary": words and word pairs counted once,
    # scaled by length_norm_words (``scoring: linear``, the first learner).
    weighting: str = "tfidf"


@dataclass
class KeywordModel:
    labels: list[str]
    bias: dict[str, float]
    keywords: dict[str, dict[str, float]]  # label → keyword → weight
    options: LearnOptions = field(default_factory=LearnOptions)
    idf: dict[str, float] = field(default_factory=dict)  # tfidf weighting: keyword → idf

    def size(self) -> dict[str, int]:
        return {label: len(self.keywords[label]) for label in self.labels}

    def predict(self, docs: Iterable[Doc]) -> list[str]:
        """The arg-max label (待分拣 when no keyword is found): what the classifier computes in
        ``scoring: tfidf`` or ``linear``."""
        if self.options.weighting == "tfidf":
            return self._predict_tfidf(docs)
        index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for j, label in enumerate(self.labels):
            for keyword, weight in self.keywords[label].items():
                index[keyword].append((j, weight))
        base = [self.bias[label] for label in self.labels]
        predictions = []
        for doc in docs:
            scores = list(base)
            scale = doc.scale(self.options.length_norm_words)
            hits = [hit for keyword in doc.features for hit in index.get(keyword, ())]
            for j, weight in hits:
                scores[j] += weight * scale
            predictions.append(_best(self.labels, scores) if hits else TRIAGE_ID)
        return predictions

    def _predict_tfidf(self, docs: Iterable[Doc]) -> list[str]:
        weights = {
            keyword: [self.keywords[label].get(keyword, 0.0) for label in self.labels] for keyword in self.idf
        }
        base = [self.bias[label] for label in self.labels]
        predictions = []
        for doc in docs:
            scores = list(base)
            found = tfidf_vector(doc.counts, self.idf)
            for keyword, value in found.items():
                for j, weight in enumerate(weights[keyword]):
                    scores[j] += weight * value
            predictions.append(_best(self.labels, scores) if found else TRIAGE_ID)
        return predictions


def _best(labels: list[str], scores: list[float]) -> str:
    """The highest score; a text with no keyword goes to 待分拣 (as in the classifier)."""
    return labels[max(range(len(scores)), key=scores.__getitem__)]


def tfidf_vector(counts: Iterable[tuple[str, int]], idf: Mapping[str, float]) -> dict[str, float]:
    """The keywords found, each valued (1 + ln count) × idf, scaled to unit length. The classifier
    computes the same in ``scoring: tfidf`` (classifier.tfidf_values)."""
    raw = {k: (1.0 + math.log(c)) * idf[k] for k, c in counts if k in idf and c > 0}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    return {k: v / norm for k, v in raw.items()} if norm else {}


def _fit_softmax(
    x: BinaryMatrix,
    scale: np.ndarray,
    y: np.ndarray,
    n_labels: int,
    options: LearnOptions,
    mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch Adam; mask (n_cols × L) fixes weights at 0."""
    n = x.n_rows
    weights = np.zeros((x.n_cols, n_labels))
    bias = np.log(np.bincount(y, minlength=n_labels) + 1.0)
    bias -= bias.mean()
    onehot = np.zeros((n, n_labels))
    onehot[np.arange(n), y] = 1.0
    counts = np.bincount(y, minlength=n_labels).astype(float)
    if options.balanced:
        row_weight = (n / (n_labels * np.maximum(counts, 1.0)))[y][:, None]
    else:
        row_weight = np.ones((n, 1))
    m_w, v_w = np.zeros_like(weights), np.zeros_like(weights)
    m_b, v_b = np.zeros_like(bias), np.zeros_like(bias)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, options.iterations + 1):
        logits = x.dot(weights) * scale[:, None] + bias
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        error = (probs - onehot) * row_weight / n
        grad_w = x.tdot(error * scale[:, None]) + options.l2 * weights
        grad_b = error.sum(axis=0)
        if mask is not None:
            grad_w *= mask
        lr = options.learning_rate * math.sqrt(1 - beta2**step) / (1 - beta1**step)
        m_w = beta1 * m_w + (1 - beta1) * grad_w
        v_w = beta2 * v_w + (1 - beta2) * grad_w**2
        weights -= lr * m_w / (np.sqrt(v_w) + eps)
        m_b = beta1 * m_b + (1 - beta1) * grad_b
        v_b = beta2 * v_b + (1 - beta2) * grad_b**2
        bias -= lr * m_b / (np.sqrt(v_b) + eps)
    return weights, bias


def learn(docs: Sequence[Doc], labels: Sequence[str], options: LearnOptions | None = None) -> KeywordModel:
    """Fit, prune to the top keywords per label, refit: a readable keyword model."""
    options = options or LearnOptions()
    label_names = sorted(set(labels))
    if len(label_names) < 2:
        raise LabeledDataError("need at least two different labels to learn from")
    if options.weighting == "tfidf":
        return _learn_tfidf(docs, labels, label_names, options)
    label_index = {label: j for j, label in enumerate(label_names)}
    df = Counter(keyword for doc in docs for keyword in doc.features)
    min_df = options.min_df if len(docs) >= 20 * options.min_df else 1
    vocabulary = sorted(k for k, count in df.items() if count >= min_df)
    column = {keyword: i for i, keyword in enumerate(vocabulary)}
    x = BinaryMatrix.build(
        ([column[k] for k in doc.features if k in column] for doc in docs), len(vocabulary)
    )
    scale = np.asarray([doc.scale(options.length_norm_words) for doc in docs])
    y = np.asarray([label_index[label] for label in labels])
    weights, _ = _fit_softmax(x, scale, y, len(label_names), options)
    # Softmax weights are defined up to a per-keyword constant: centre them so each keyword's
    # weights say "for this label, against that one" and pruning keeps the telling ones.
    weights -= weights.mean(axis=1, keepdims=True)
    mask = np.zeros_like(weights)
    k = min(options.max_keywords, len(vocabulary))
    for j in range(len(label_names)):
        top = np.argsort(-np.abs(weights[:, j]), kind="stable")[:k]
        mask[top[np.abs(weights[top, j]) > 0], j] = 1.0
    weights, bias = _fit_softmax(x, scale, y, len(label_names), options, mask)
    keywords: dict[str, dict[str, float]] = {}
    for j, label in enumerate(label_names):
        kept = np.nonzero(mask[:, j])[0]
        ordered = sorted(kept, key=lambda i: (-weights[i, j], vocabulary[i]))
        keywords[label] = {
            vocabulary[i]: round(float(weights[i, j]), 3) for i in ordered if round(float(weights[i, j]), 3)
        }
    bias_by_label = {label: round(float(bias[j]), 3) for j, label in enumerate(label_names)}
    return KeywordModel(label_names, bias_by_label, keywords, options)


def _tfidf_matrix(docs: Sequence[Doc], idf: Mapping[str, float], column: Mapping[str, int]) -> BinaryMatrix:
    indptr, indices, values = [0], [], []
    for doc in docs:
        for keyword, value in sorted(tfidf_vector(doc.counts, idf).items()):
            indices.append(column[keyword])
            values.append(value)
        indptr.append(len(indices))
    return BinaryMatrix(
        np.asarray(indptr, np.int64), np.asarray(indices, np.int64), len(column), np.asarray(values)
    )


def _learn_tfidf(
    docs: Sequence[Doc], labels: Sequence[str], label_names: list[str], options: LearnOptions
) -> KeywordModel:
    """tf-idf weighting: fit on all words, keep the top |weight| per label, refit on the kept
    words with the vector length taken over them alone (as the classifier will see it)."""
    label_index = {label: j for j, label in enumerate(label_names)}
    df = Counter(keyword for doc in docs for keyword, _ in doc.counts)
    min_df = options.min_df if len(docs) >= 20 * options.min_df else 1
    vocabulary = sorted(k for k, count in df.items() if count >= min_df)
    n = len(docs)
    idf = {k: round(math.log((1 + n) / (1 + df[k])) + 1.0, 3) for k in vocabulary}
    column = {keyword: i for i, keyword in enumerate(vocabulary)}
    y = np.asarray([label_index[label] for label in labels])
    ones = np.ones(n)
    weights, _ = _fit_softmax(_tfidf_matrix(docs, idf, column), ones, y, len(label_names), options)
    weights -= weights.mean(axis=1, keepdims=True)
    k = min(options.max_keywords, len(vocabulary))
    kept_by_label = []
    for j in range(len(label_names)):
        top = np.argsort(-np.abs(weights[:, j]), kind="stable")[:k]
        kept_by_label.append([vocabulary[i] for i in top if abs(weights[i, j]) > 0])
    kept = sorted({keyword for words in kept_by_label for keyword in words})
    kept_idf = {keyword: idf[keyword] for keyword in kept}
    kept_column = {keyword: i for i, keyword in enumerate(kept)}
    mask = np.zeros((len(kept), len(label_names)))
    for j, words in enumerate(kept_by_label):
        mask[[kept_column[w] for w in words], j] = 1.0
    x = _tfidf_matrix(docs, kept_idf, kept_column)
    weights, bias = _fit_softmax(x, ones, y, len(label_names), options, mask)
    keywords: dict[str, dict[str, float]] = {}
    for j, label in enumerate(label_names):
        rows = np.nonzero(mask[:, j])[0]
        ordered = sorted(rows, key=lambda i: (-weights[i, j], kept[i]))
        keywords[label] = {
            kept[i]: round(float(weights[i, j]), 3) for i in ordered if round(float(weights[i, j]), 3)
        }
    used = {keyword for words in keywords.values() for keyword in words}
    bias_by_label = {label: round(float(bias[j]), 3) for j, label in enumerate(label_names)}
    # Only keywords some label weighs take part in the vector length: the file lists exactly those.
    return KeywordModel(
        label_names, bias_by_label, keywords, options, {k: v for k, v in kept_idf.items() if k in used}
    )


# ---------------------------------------------------------------------- the shipped vocabulary's weights
@dataclass
class WeightFitOptions:
    # Pull toward the shipped weight (per keyword, against the mean loss of one example): a word
    # the city's history rarely shows keeps about its hand-written weight.
    l2_to_shipped: float = 0.002
    iterations: int = 400
    learning_rate: float = 0.05
    balanced: bool = True  # each label's examples weigh alike (history is lopsided)
    max_weight: float = 8.0
    step: float = 0.1  # weights are written rounded to this (readable, hand-editable)


@dataclass
class WeightFit:
    """Fitted weights of the shipped vocabulary: category id → keyword (as the classifier spells
    it) → weight; how many examples each label had; the keywords the history never showed."""

    weights: dict[str, dict[str, float]]
    support: dict[str, int]
    unseen: int
    n: int


def category_of_label(label: str, classifier: ComplaintClassifier) -> str | None:
    """The category id a label names (id or name); None for urgent kinds, 待分拣 and unknowns."""
    for category in classifier.categories.values():
        if label in (category.id, category.name):
            return category.id
    return None


def fit_shipped_weights(
    examples: Sequence[Example], classifier: ComplaintClassifier, options: WeightFitOptions | None = None
) -> WeightFit:
    """Fit the weights of the shipped vocabulary to labelled history, keeping every keyword: the
    classifier's own score (a category sums the weights of its event keywords found) is the logit
    of a softmax over the categories, fitted by Adam with each weight kept ≥ 0 and pulled toward
    its shipped value. Examples labelled with an urgent kind or 待分拣 are left out (urgent words
    are not weighted; they flag whatever the category)."""
    options = options or WeightFitOptions()
    shipped = classifier.keyword_weights()
    category_ids = list(shipped)
    column_of = {c: j for j, c in enumerate(category_ids)}
    keywords = sorted({k for words in shipped.values() for k in words})
    row_of = {k: i for i, k in enumerate(keywords)}
    prior = np.zeros((len(keywords), len(category_ids)))
    mask = np.zeros_like(prior)
    for category_id, words in shipped.items():
        for keyword, weight in words.items():
            prior[row_of[keyword], column_of[category_id]] = weight
            mask[row_of[keyword], column_of[category_id]] = 1.0
    rows: list[list[int]] = []
    labels: list[int] = []
    for example in examples:
        label = category_of_label(example.label, classifier)
        if label is None:
            continue
        rows.append([row_of[k] for k in classifier.event_keywords(example.text)])
        labels.append(column_of[label])
    if len(set(labels)) < 2:
        raise LabeledDataError("need examples of at least two categories of the shipped taxonomy")
    x = BinaryMatrix.build(rows, len(keywords))
    y = np.asarray(labels)
    n, n_labels = len(labels), len(category_ids)
    counts = np.bincount(y, minlength=n_labels).astype(float)
    onehot = np.zeros((n, n_labels))
    onehot[np.arange(n), y] = 1.0
    row_weight = (n / (n_labels * np.maximum(counts, 1.0)))[y][:, None] if options.balanced else 1.0
    weights = prior.copy()
    ceiling = np.maximum(prior, options.max_weight)  # no shipped weight is cut down by the cap
    m, v = np.zeros_like(weights), np.zeros_like(weights)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, options.iterations + 1):
        logits = x.dot(weights)
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        grad = x.tdot((probs - onehot) * row_weight / n) + options.l2_to_shipped * (weights - prior)
        grad *= mask
        lr = options.learning_rate * math.sqrt(1 - beta2**step) / (1 - beta1**step)
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        weights = np.clip(weights - lr * m / (np.sqrt(v) + eps), 0.0, ceiling) * mask
    seen = np.bincount(x.indices, minlength=len(keywords)) > 0
    fitted: dict[str, dict[str, float]] = {c: {} for c in category_ids}
    for category_id, words in shipped.items():
        j = column_of[category_id]
        for keyword in words:
            value = weights[row_of[keyword], j]
            fitted[category_id][keyword] = round(round(value / options.step) * options.step, 4)
    support = {c: int(counts[column_of[c]]) for c in category_ids}
    return WeightFit(fitted, support, int((~seen).sum()), n)


_WEIGHT_LINE = re.compile(r"^(?P<head>\s+(?P<word>.+?)): (?P<weight>-?[0-9.]+)(?P<tail>\s*(#.*)?)$")


def shipped_yaml_with_weights(text: str, fit: WeightFit, classifier: ComplaintClassifier, source: str) -> str:
    """The shipped categories file with each event keyword's weight replaced by the fitted one,
    line for line: comments, classes (covers), place words, spellings and urgent kinds unchanged."""
    lines = text.split("\n")
    category_id: str | None = None
    weighted = False  # inside a category's covers or keywords (not its places)
    changed = 0
    for i, line in enumerate(lines):
        if line.startswith("  - id: "):
            category_id, weighted = line.removeprefix("  - id: ").strip(), False
            continue
        if category_id is None:
            continue
        if line.startswith("    ") and not line.startswith("     ") and line.rstrip().endswith(":"):
            weighted = line.strip() in ("covers:", "keywords:")
            continue
        match = _WEIGHT_LINE.match(line)
        if not weighted or match is None:
            continue
        word = str(parse_yaml(match["word"]))
        new = fit.weights.get(category_id, {}).get(classifier.respell(word))
        if new is None or new == float(match["weight"]):
            continue
        lines[i] = f"{match['head']}: {new:g}{match['tail']}"
        changed += 1
    header = (
        f"# Weights fitted on {source} ({fit.n} labelled complaints) by `chuangwen complaints learn "
        f"--weights-only`: {changed} weights changed; keywords, classes, place words, spellings and "
        "urgent kinds as shipped.\n"
    )
    return header + "\n".join(lines)


# ---------------------------------------------------------------------- the learned file
def department_for(
    label: str, reference: ComplaintClassifier | None, departments: Mapping[str, Department]
) -> str:
    """Route a learned label: a shipped category (id or name) → its department; a department
    (id or name) → itself; anything else → the triage department (a person edits the file)."""
    if reference is not None:
        for category in reference.categories.values():
            if label in (category.id, category.name):
                return category.department
    for department in departments.values():
        if label in (department.id, department.name):
            return department.id
    for department_id, hints in LABEL_DEPARTMENT_HINTS:
        if department_id in departments and any(hint in label for hint in hints):
            return department_id
    if reference is not None:
        return reference.triage_department
    return next(iter(departments))


# Common first-level labels of government message boards (留言板) → the department that usually
# handles them. Only a default for a learned file: the city edits `department:` lines as it likes.
LABEL_DEPARTMENT_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("zhujian", ("城乡建设", "住房", "物业")),
    ("shengtai", ("环境保护", "环保", "生态")),
    ("jiaotong", ("交通运输",)),
    ("jiaojing", ("交通秩序", "交警")),
    ("shijian", ("商贸", "市场监管", "食品")),
    ("huanwei", ("环境卫生", "环卫")),
    ("chengguan", ("城管", "城市管理")),
)


def model_to_yaml(
    model: KeywordModel,
    departments: Mapping[str, Department],
    reference: ComplaintClassifier | None = None,
    source: str = "",
) -> str:
    """The learned model in the complaint_categories.yaml format (``scoring: linear``)."""
    tfidf = model.options.weighting == "tfidf"
    settings: dict[str, Any] = (
        {"scoring": "tfidf"}
        if tfidf
        else {
            "scoring": "linear",
            "length_norm_words": model.options.length_norm_words,
        }
    )
    settings.update(
        {
            "min_confidence": 0.0,
            "triage_name": reference.triage_name if reference else "待分拣",
            "triage_department": reference.triage_department if reference else next(iter(departments)),
            "triage_time_limit_hours": reference.triage_time_limit_hours if reference else 24,
        }
    )
    categories = []
    for label in model.labels:
        categories.append(
            {
                "id": label,
                "name": label,
                "department": department_for(label, reference, departments),
                "time_limit_hours": 72,
                "bias": model.bias[label],
                "keywords": model.keywords[label],
            }
        )
    urgent = ""
    if reference is not None and reference.urgent_kinds:  # the shipped one-vote-veto kinds, unchanged
        kinds = []
        for kind in reference.urgent_kinds:
            entry: dict[str, Any] = {"name": kind.name}
            if kind.department:
                entry["department"] = kind.department
            entry["keywords"] = list(kind.keywords)
            if kind.not_when:  # the senses in which its words are no emergency (爆炸头, 禁毒宣传)
                entry["not_when"] = list(kind.not_when)
            kinds.append(entry)
        urgent_document = {"urgent": {"time_limit_hours": reference.urgent_time_limit_hours, "kinds": kinds}}
        urgent = _dump(urgent_document, flow_lists=True)
    if tfidf:
        scoring_lines = [
            "# data/complaint_categories.yaml, in tfidf scoring: each keyword found in the complaint is",
            "# valued (1 + ln times found) × its idf (at the end: rarer words count more), the values",
            "# scaled so their squares sum to 1; a category's score is its bias plus Σ weight × value;",
            "# the highest score wins. Positive weights speak for the category, negative ones against",
            "# it. A new keyword needs an idf line too (3–6 is usual). Check with `chuangwen complaints eval`.",
        ]
    else:
        scoring_lines = [
            "# data/complaint_categories.yaml, in linear scoring: a category's score is its bias plus the",
            "# weights of its keywords found in the complaint (each once); the highest score wins.",
            '# Positive weights speak for the category, negative ones against it. "a b" is a phrase: the',
            "# words a and b next to each other. Edit freely; check with `chuangwen complaints eval`.",
        ]
    header = [
        "# Learned complaint categories (chuangwen complaints learn). Same format as",
        *scoring_lines,
        "# Departments: a label named like a shipped category or department goes there; others go to",
        "# the triage department until you set `department:` (an id from departments.yaml).",
        "# settings.min_confidence: raise it (e.g. 0.6) to send uncertain complaints to 待分拣.",
    ]
    if source:
        header.append(
            f"# Learned from {source}: {sum(model.size().values())} keywords, "
            f"at most {model.options.max_keywords} per label."
        )
    # The complaint is respelled before it is cut, as it was when the file was learned.
    spellings = _dump({"spellings": dict(reference.spellings)}) if reference and reference.spellings else ""
    body = _dump({"settings": settings}) + spellings + urgent + _dump({"categories": categories})
    if tfidf:
        body += _dump({"idf": dict(sorted(model.idf.items(), key=lambda item: (item[1], item[0])))})
    return "\n".join(header) + "\n" + body


def _dump(data: Any, flow_lists: bool = False) -> str:
    return yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None if flow_lists else False
    )


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
