"""Learning and evaluating keyword weights from labeled history (``text,label`` CSV).

The learned model is what the classifier computes in ``scoring: tfidf``: per label a bias plus
Σ weight × value of its keywords found in the complaint, each value (1 + ln times found) × idf, the
values scaled to unit length. Keywords are jieba words (with the words inside compounds, as the
classifier cuts them); the idf is (ln((1 + n) / (1 + df)) + 1)², which lets rare, telling words
weigh more. Training is a class-balanced multinomial logistic regression in plain numpy:

1. fit all words (seen in ≥ ``min_df`` training texts) with L2 regularisation;
2. keep per label the ``max_keywords`` words with the largest |weight| (negative weights count:
   "学校" speaks against 卫生计生 as much as for 教育文体);
3. fit again with only the kept keywords (the vector length taken over them alone), starting from
   their first-fit weights, so the pruned list is consistent on its own.

``LearnOptions(weighting="binary")`` is the first learner: words and adjacent word pairs counted
once, ``scoring: linear``.

Evaluation uses K folds that keep exact duplicate texts together (reposted complaints would
otherwise be in train and test at once and inflate the score).

The package: ``examples`` (the CSV, stopwords, candidate keywords), ``fitting`` (the regression, and
the shipped vocabulary's weights), ``writing`` (categories files) and ``evaluation``.
"""

from bot.services.complaint_learning.evaluation import (
    Evaluation,
    cross_validate,
    evaluate,
    evaluate_classifier,
    grouped_folds,
)
from bot.services.complaint_learning.examples import (
    LABEL_DEPARTMENT_HINTS,
    STOPWORDS,
    Doc,
    Example,
    LabeledDataError,
    Tokenize,
    features,
    read_labeled_csv,
    to_docs,
)
from bot.services.complaint_learning.fitting import (
    BinaryMatrix,
    KeywordModel,
    LearnOptions,
    WeightFit,
    WeightFitOptions,
    category_of_label,
    fit_shipped_weights,
    learn,
    learn_from_examples,
    tfidf_vector,
)
from bot.services.complaint_learning.writing import department_for, model_to_yaml, shipped_yaml_with_weights

__all__ = [
    "LABEL_DEPARTMENT_HINTS",
    "STOPWORDS",
    "BinaryMatrix",
    "Doc",
    "Evaluation",
    "Example",
    "KeywordModel",
    "LabeledDataError",
    "LearnOptions",
    "Tokenize",
    "WeightFit",
    "WeightFitOptions",
    "category_of_label",
    "cross_validate",
    "department_for",
    "evaluate",
    "evaluate_classifier",
    "features",
    "fit_shipped_weights",
    "grouped_folds",
    "learn",
    "learn_from_examples",
    "model_to_yaml",
    "read_labeled_csv",
    "shipped_yaml_with_weights",
    "tfidf_vector",
    "to_docs",
]
