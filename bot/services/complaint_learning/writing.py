"""Writing categories files: a learned model in the complaint_categories.yaml format, or the shipped
file with fitted weights written into its own lines (comments and order kept)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from bot.services.classifier import TRIAGE_ID, ComplaintClassifier, Department
from bot.services.complaint_learning.examples import LABEL_DEPARTMENT_HINTS
from bot.services.complaint_learning.fitting import KeywordModel, WeightFit
from bot.yaml_files import parse_yaml

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
    settings["min_confidence"] = 0.0
    if reference is not None:  # without one, the classifier names triage as the shipped file does
        settings["triage_name"] = reference.triage_name
    settings.update(
        {
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
        power = model.options.idf_power
        formula = "(ln((1 + texts) / (1 + texts with the word)) + 1)" + ("²" if power == 2 else f"^{power:g}")
        scoring_lines = [
            "# data/complaint_categories.yaml, in tfidf scoring: each keyword found in the complaint is",
            "# valued (1 + ln times found) × its idf (at the end: rarer words count more), the values",
            "# scaled so their squares sum to 1; a category's score is its bias plus Σ weight × value;",
            "# the highest score wins. Positive weights speak for the category, negative ones against",
            f"# it. A new keyword needs an idf line too{_idf_range(model.idf)}; the learner wrote",
            f"# {formula}. Check with `chuangwen complaints eval`.",
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
        "# settings.min_confidence: raise it (e.g. 0.6) to send uncertain complaints to "
        f"{settings.get('triage_name', TRIAGE_ID)}.",
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


def _idf_range(idf: Mapping[str, float]) -> str:
    """The idf of the 10th and 90th percentile keyword (" (15–71 is usual)"), for a person adding one."""
    values = sorted(idf.values())
    if not values:
        return ""
    low, high = values[len(values) // 10], values[len(values) * 9 // 10]
    return f" ({low:.0f}–{high:.0f} is usual)"


def _dump(data: Any, flow_lists: bool = False) -> str:
    return yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None if flow_lists else False
    )
