"""Fitting keyword weights: a multinomial logistic regression on the candidate keywords (``learn``),
or the shipped vocabulary's weights fitted to labelled history (``fit_shipped_weights``)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.services.classifier import TRIAGE_ID, ComplaintClassifier
from bot.services.complaint_learning.examples import Doc, Example, LabeledDataError, Tokenize, to_docs


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
    max_keywords: int = 1000  # per label, after pruning (500: CV macro-F1 0.908, 1000: 0.912)
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
    # The idf written to the file is (ln((1 + n) / (1 + df)) + 1) ** idf_power: above 1, rare words
    # weigh more against common ones in the unit-length vector. CV macro-F1 (grouped 5 folds, fold
    # seed 7 / 11): power 1: 0.912 / 0.908, 1.5: 0.912, 1.75: 0.913, 2: 0.914 / 0.912, 2.5: 0.910, 3: 0.906.
    idf_power: float = 2.0
    # The refit on the kept words starts from their weights in the first fit (not from zero).
    # CV macro-F1 with idf_power 2 (fold seed 7 / 11): from zero 0.914 / 0.912, warm 0.915 / 0.912.
    warm_refit: bool = True


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
    start: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch Adam; mask (n_cols × L) fixes weights at 0;
    start: the (weights, bias) to begin from (zeros and the log label frequencies otherwise)."""
    n = x.n_rows
    if start is not None:
        weights, bias = start[0] * mask if mask is not None else start[0].copy(), start[1].copy()
    else:
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
    words (from their first-fit weights) with the vector length taken over them alone (as the
    classifier will see it)."""
    label_index = {label: j for j, label in enumerate(label_names)}
    df = Counter(keyword for doc in docs for keyword, _ in doc.counts)
    min_df = options.min_df if len(docs) >= 20 * options.min_df else 1
    vocabulary = sorted(k for k, count in df.items() if count >= min_df)
    n = len(docs)
    idf = {k: round((math.log((1 + n) / (1 + df[k])) + 1.0) ** options.idf_power, 3) for k in vocabulary}
    column = {keyword: i for i, keyword in enumerate(vocabulary)}
    y = np.asarray([label_index[label] for label in labels])
    ones = np.ones(n)
    weights, bias = _fit_softmax(_tfidf_matrix(docs, idf, column), ones, y, len(label_names), options)
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
    start = None
    if options.warm_refit:  # the kept words' weights of the first fit, the others' at 0
        start = (weights[[column[keyword] for keyword in kept]], bias)
    weights, bias = _fit_softmax(x, ones, y, len(label_names), options, mask, start)
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
