"""`chuangwen complaints classify|learn|eval`: try, learn and evaluate the complaint keywords."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bot import texts
from bot.config import Settings
from bot.services import complaint_learning as learning
from bot.services.classifier import URGENT_LABEL_PREFIX, Classification, ComplaintClassifier, TaxonomyError


def add_commands(subparsers: Any) -> None:
    complaints = subparsers.add_parser("complaints", help="complaint sorting: classify, learn, eval")
    sub = complaints.add_subparsers(dest="complaints_command", metavar="ACTION", required=True)

    classify = sub.add_parser("classify", help="sort one complaint text and explain why")
    classify.add_argument("text", help="the complaint text")
    classify.add_argument(
        "--config", type=Path, help="a categories file (e.g. learned) instead of the shipped one"
    )
    classify.add_argument("--json", action="store_true", help="one JSON object")
    classify.set_defaults(handler=cmd_classify)

    learn = sub.add_parser("learn", help="learn keyword weights per label from text,label CSVs")
    learn.add_argument("csv", type=Path, nargs="+", help="labeled history: CSVs with columns text,label")
    learn.add_argument("--out", type=Path, required=True, help="where to write the learned categories YAML")
    learn.add_argument(
        "--max-keywords",
        type=int,
        default=learning.LearnOptions.max_keywords,
        help="keywords kept per label (default %(default)s)",
    )
    learn.add_argument(
        "--weights-only",
        action="store_true",
        help="keep the shipped vocabulary (every keyword, class, place word, spelling and urgent kind) "
        "and fit only its weights to the CSV; writes the categories file with the new weights",
    )
    learn.add_argument(
        "--idf-power",
        type=float,
        default=learning.LearnOptions.idf_power,
        help="idf = (ln((1+n)/(1+df))+1)^power (default %(default)s; 1 for the shipped fallback's short "
        "complaints)",
    )
    learn.add_argument(
        "--categories-only",
        action="store_true",
        help="learn only from rows labelled with a category of the shipped file (urgent kinds and "
        "triage left out): a file for the shipped file's settings.fallback",
    )
    learn.set_defaults(handler=cmd_learn)

    evaluate = sub.add_parser(
        "eval",
        help="accuracy, macro-F1, per-label recall, share sent to triage and confusion matrix",
        description="Label: a category id or name, or urgent:<kind> for a one-vote-veto report (the "
        "complaint counts as that label when the classifier flags the kind).",
    )
    evaluate.add_argument("csv", type=Path, help="labeled CSV with columns text,label")
    fixed = evaluate.add_mutually_exclusive_group()
    fixed.add_argument(
        "--config", type=Path, help="evaluate this fixed categories file on the whole CSV (no learning)"
    )
    fixed.add_argument(
        "--shipped", action="store_true", help="evaluate the city's categories file (DATA_DIR) as it is"
    )
    evaluate.add_argument(
        "--folds",
        type=int,
        default=5,
        help="without --config: K-fold cross-validation of `learn` (default %(default)s)",
    )
    evaluate.add_argument(
        "--max-keywords",
        type=int,
        default=learning.LearnOptions.max_keywords,
        help="keywords kept per label when learning (default %(default)s)",
    )
    evaluate.add_argument("--json", action="store_true", help="one JSON object")
    evaluate.set_defaults(handler=cmd_eval)


def _fail(message: str) -> int:
    print(texts.COMPLAINTS_ERROR.format(message=message), file=sys.stderr)
    return 2


def _load(settings: Settings, config: Path | None, *, fallback: bool = True) -> ComplaintClassifier:
    return ComplaintClassifier.load(settings.data_dir, categories_file=config, fallback=fallback)


def cmd_classify(args: argparse.Namespace, settings: Settings) -> int:
    text = args.text.strip()
    if not text:
        return _fail(texts.COMPLAINTS_EMPTY)
    try:
        classifier = _load(settings, args.config)
    except TaxonomyError as error:
        return _fail(str(error))
    result = classifier.classify(text)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
        return 0
    print(texts.COMPLAINTS_CATEGORY.format(name=result.category_name, id=result.category_id))
    print(texts.COMPLAINTS_DEPARTMENT.format(name=result.department_name, id=result.department))
    print(texts.COMPLAINTS_CONFIDENCE.format(confidence=result.confidence))
    kinds = texts.LIST_SEPARATOR.join(result.urgent_kinds)
    urgent = texts.COMPLAINTS_URGENT_YES.format(kinds=kinds) if result.urgent else texts.COMPLAINTS_URGENT_NO
    print(texts.COMPLAINTS_URGENT.format(urgent=urgent))
    print(texts.COMPLAINTS_TIME_LIMIT.format(hours=result.time_limit_hours))
    keywords = texts.LIST_SEPARATOR.join(result.keywords) or texts.COMPLAINTS_NO_KEYWORDS
    print(texts.COMPLAINTS_KEYWORDS.format(keywords=keywords))
    return 0


def _options(args: argparse.Namespace) -> learning.LearnOptions:
    return learning.LearnOptions(
        max_keywords=max(1, args.max_keywords),
        idf_power=getattr(args, "idf_power", learning.LearnOptions.idf_power),
    )


def _read_labeled(paths: Sequence[Path]) -> list[learning.Example]:
    return [example for path in paths for example in learning.read_labeled_csv(path)]


def _names(paths: Sequence[Path]) -> str:
    return ", ".join(path.name for path in paths)


def cmd_learn(args: argparse.Namespace, settings: Settings) -> int:
    if args.weights_only:
        return _learn_weights(args, settings)
    try:
        reference = _load(settings, None, fallback=False)  # the cut only: the fallback may not exist yet
        examples = _read_labeled(args.csv)
        if args.categories_only:
            examples = [e for e in examples if learning.category_of_label(e.label, reference) is not None]
        started = time.monotonic()
        model = learning.learn_from_examples(examples, reference.tokens, _options(args))
    except (TaxonomyError, learning.LabeledDataError) as error:
        return _fail(str(error))
    text = learning.model_to_yaml(model, reference.departments, reference, source=_names(args.csv))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    try:  # the file must load as a categories file: prove it before saying so
        ComplaintClassifier.load(settings.data_dir, categories_file=args.out)
    except TaxonomyError as error:
        return _fail(texts.COMPLAINTS_UNLOADABLE.format(error=error))
    seconds = time.monotonic() - started
    print(
        texts.COMPLAINTS_LEARNED.format(
            examples=len(examples), labels=len(model.labels), seconds=seconds, path=args.out
        )
    )
    for label in model.labels:
        top = [k for k, w in model.keywords[label].items() if w > 0][:8]
        print(
            texts.COMPLAINTS_LEARNED_LABEL.format(
                label=label, count=len(model.keywords[label]), examples=texts.LIST_SEPARATOR.join(top)
            )
        )
    return 0


def _learn_weights(args: argparse.Namespace, settings: Settings) -> int:
    """`learn --weights-only`: the shipped file, line for line, with weights fitted to the CSV."""
    shipped = settings.data_dir / "complaint_categories.yaml"
    try:
        reference = _load(settings, None, fallback=False)
        examples = _read_labeled(args.csv)
        started = time.monotonic()
        fit = learning.fit_shipped_weights(examples, reference)
    except (TaxonomyError, learning.LabeledDataError) as error:
        return _fail(str(error))
    text = learning.shipped_yaml_with_weights(
        shipped.read_text(encoding="utf-8"), fit, reference, source=_names(args.csv)
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    try:
        ComplaintClassifier.load(settings.data_dir, categories_file=args.out)
    except TaxonomyError as error:
        return _fail(texts.COMPLAINTS_UNLOADABLE.format(error=error))
    old = reference.keyword_weights()
    changed = sum(
        1 for c, words in fit.weights.items() for k, w in words.items() if abs(w - old[c][k]) >= 1e-9
    )
    left_out = len(examples) - fit.n
    seconds = time.monotonic() - started
    print(
        texts.COMPLAINTS_FITTED.format(
            n=fit.n, seconds=seconds, path=args.out, changed=changed, unseen=fit.unseen
        )
        + (texts.COMPLAINTS_FITTED_LEFT_OUT.format(left_out=left_out) if left_out else "")
    )
    for category_id, support in fit.support.items():
        name = reference.categories[category_id].name
        print(texts.COMPLAINTS_FITTED_SUPPORT.format(name=name, id=category_id, support=support))
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    try:
        examples = learning.read_labeled_csv(args.csv)
        if args.config is not None or args.shipped:
            config = args.config or settings.data_dir / "complaint_categories.yaml"
            classifier = _load(settings, config)
            evaluation = evaluate_fixed(examples, classifier)
            evaluation.extra.update({"mode": "config", "config": str(config)})
        else:
            if args.folds < 2:
                return _fail(texts.COMPLAINTS_FOLDS_TOO_FEW)
            reference = _load(settings, None, fallback=False)
            evaluation, models = learning.cross_validate(
                examples, reference.tokens, folds=args.folds, options=_options(args)
            )
            sizes = [sum(m.size().values()) / len(m.labels) for m in models]
            evaluation.extra.update(
                {
                    "mode": "cross_validation",
                    "folds": args.folds,
                    "duplicates_grouped": True,
                    "keywords_per_label": round(sum(sizes) / len(sizes), 1),
                }
            )
    except (TaxonomyError, learning.LabeledDataError) as error:
        return _fail(str(error))
    if args.json:
        print(json.dumps(evaluation.as_dict(), ensure_ascii=False))
        return 0
    print(_report(evaluation))
    return 0


def predicted_label(result: Classification, truth: str, labels: set[str], names: Mapping[str, str]) -> str:
    """The label a classification counts as against `truth`: urgent:<kind> when the classifier flags
    an urgent kind (the true kind when it is among those flagged), else the category (by id, or by
    name when the labels use names) or 待分拣."""
    if result.urgent_kinds:
        wanted = truth.removeprefix(URGENT_LABEL_PREFIX)
        return URGENT_LABEL_PREFIX + (wanted if wanted in result.urgent_kinds else result.urgent_kinds[0])
    label = result.category_id
    if label not in labels and names.get(label) in labels:
        return names[label]
    return label


def evaluate_fixed(
    examples: Sequence[learning.Example], classifier: ComplaintClassifier
) -> learning.Evaluation:
    """How a fixed categories file sorts a labeled set: accuracy, macro-F1, per-label precision,
    recall and F1, the share sent to 待分拣, and urgent flags on ordinary complaints."""
    labels = {e.label for e in examples}
    names = {c.id: c.name for c in classifier.categories.values()}
    truth = [e.label for e in examples]
    predicted = [predicted_label(classifier.classify(e.text), e.label, labels, names) for e in examples]
    evaluation = learning.evaluate(truth, predicted)
    recall = {label: row["recall"] for label, row in evaluation.per_label.items()}
    evaluation.extra.update(
        {
            "triage_share": round(evaluation.triaged / evaluation.n, 4) if evaluation.n else 0.0,
            "recall": recall,
            "min_recall": min(recall.values(), default=0.0),
            "ordinary_flagged_urgent": sum(
                not t.startswith(URGENT_LABEL_PREFIX) and p.startswith(URGENT_LABEL_PREFIX)
                for t, p in zip(truth, predicted, strict=True)
            ),
        }
    )
    return evaluation


def _report(evaluation: learning.Evaluation) -> str:
    extra = evaluation.extra
    if extra.get("mode") == "cross_validation":
        head = texts.COMPLAINTS_EVAL_CROSS.format(folds=extra["folds"], keywords=extra["keywords_per_label"])
    else:
        head = texts.COMPLAINTS_EVAL_FIXED.format(config=extra.get("config"))
    lines = [
        head,
        texts.COMPLAINTS_EVAL_SUMMARY.format(
            n=evaluation.n,
            accuracy=evaluation.accuracy,
            macro_f1=evaluation.macro_f1,
            triaged=evaluation.triaged,
        )
        + (
            texts.COMPLAINTS_EVAL_TRIAGE_SHARE.format(share=extra["triage_share"])
            if "triage_share" in extra
            else ""
        ),
        *(
            [
                texts.COMPLAINTS_EVAL_URGENT.format(
                    min_recall=extra["min_recall"], flagged=extra["ordinary_flagged_urgent"]
                )
            ]
            if "min_recall" in extra
            else []
        ),
        "",
        "{:<12}{:>8}{:>8}{:>8}{:>8}".format(*texts.COMPLAINTS_EVAL_COLUMNS),
    ]
    for label, row in evaluation.per_label.items():
        lines.append(
            f"{label:<12}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}"
            f"{row['support']:>10}"
        )
    columns = list(next(iter(evaluation.confusion.values())).keys())
    lines += ["", texts.COMPLAINTS_EVAL_CONFUSION, "\t".join(["", *columns])]
    for label, counts in evaluation.confusion.items():
        lines.append("\t".join([label, *(str(counts[c]) for c in columns)]))
    return "\n".join(lines)
