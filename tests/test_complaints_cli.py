"""`chuangwen complaints classify|learn|eval` and the keyword learner, on a small synthetic CSV."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import SHIPPED_DATA_DIR
from bot.services import complaint_learning as learning
from bot.services.classifier import TRIAGE_ID, ComplaintClassifier, LearnedFallback, TaxonomyError

SMALL_CSV = Path(__file__).parent / "data" / "complaints_labeled_small.csv"


@pytest.fixture(scope="module")
def learned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("learned") / "learned.yaml"
    assert main(["complaints", "learn", str(SMALL_CSV), "--out", str(out), "--max-keywords", "40"]) == 0
    return out


def run_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_classify_json_has_the_issue_keys(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(["complaints", "classify", "路口好多电动车闯红灯", "--json"], capsys)
    assert {"category", "category_name", "department", "confidence", "urgent", "keywords"} <= set(result)
    assert result["category"] == "traffic" and result["department"] == "jiaojing"
    assert result["urgent"] is False and "闯红灯" in result["keywords"]


def test_classify_text_output_explains(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["complaints", "classify", "工地塔吊倒塌了"]) == 0
    out = capsys.readouterr().out
    assert "道路施工·建筑工地·渣土" in out and "重大安全事故" in out and "塔吊" in out


def test_classify_empty_text_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["complaints", "classify", "   "]) == 2
    assert "为空" in capsys.readouterr().err


def test_learned_file_is_readable_keywords_and_loads(learned: Path) -> None:
    text = learned.read_text(encoding="utf-8")
    assert "scoring: tfidf" in text and "bias:" in text and "\nidf:\n" in text
    classifier = ComplaintClassifier.load(SHIPPED_DATA_DIR, categories_file=learned)
    assert set(classifier.categories) == {"市容环境卫生", "交通秩序", "噪音扰民"}
    for category in classifier.categories.values():
        assert 0 < len(category.keywords) <= 40
        assert not set(category.keywords) & learning.STOPWORDS
    # Departments: a shipped category name → its department; a known hint; otherwise triage's.
    assert classifier.categories["市容环境卫生"].department == "huanwei"
    assert classifier.categories["交通秩序"].department == "jiaojing"
    assert classifier.categories["噪音扰民"].department == classifier.triage_department
    # The shipped one-vote-veto kinds come along.
    assert classifier.classify("楼里燃气泄漏了").urgent


def test_learned_file_classifies_new_texts(learned: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = {
        "小区门口垃圾堆成山了没人管": "市容环境卫生",
        "晚上广场舞音响太吵了": "噪音扰民",
        "好多电动车闯红灯": "交通秩序",
    }
    for text, label in cases.items():
        result = run_json(["complaints", "classify", text, "--json", "--config", str(learned)], capsys)
        assert result["category"] == label, (text, result)
        assert result["keywords"] and 0 < result["confidence"] <= 1


def test_learned_file_sends_unmatched_text_to_triage(learned: Path) -> None:
    classifier = ComplaintClassifier.load(SHIPPED_DATA_DIR, categories_file=learned)
    assert classifier.classify("¥¥¥ 123").category_id == TRIAGE_ID


def test_eval_cross_validation_json(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(["complaints", "eval", str(SMALL_CSV), "--folds", "3", "--json"], capsys)
    assert result["accuracy"] >= 0.8 and result["macro_f1"] >= 0.8
    assert set(result["per_label"]) == {"市容环境卫生", "交通秩序", "噪音扰民"}
    assert {"precision", "recall", "f1", "support"} <= set(result["per_label"]["交通秩序"])
    assert result["n"] == sum(row["support"] for row in result["per_label"].values())
    assert sum(sum(row.values()) for row in result["confusion"].values()) == result["n"]
    assert result["duplicates_grouped"] is True


def test_eval_fixed_config_and_text_report(learned: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["complaints", "eval", str(SMALL_CSV), "--config", str(learned)]) == 0
    out = capsys.readouterr().out
    assert "macro-F1" in out and "混淆矩阵" in out and "噪音扰民" in out


def test_eval_shipped_taxonomy_matches_labels_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "named.csv"
    csv_file.write_text(
        "text,label\n路口好多人闯红灯,交通秩序\n电线杆上贴满小广告,乱贴乱画与违规广告\n你好,交通秩序\n",
        encoding="utf-8",
    )
    config = SHIPPED_DATA_DIR / "complaint_categories.yaml"
    result = run_json(["complaints", "eval", str(csv_file), "--config", str(config), "--json"], capsys)
    assert result["confusion"]["交通秩序"]["交通秩序"] == 1
    assert result["confusion"]["交通秩序"][TRIAGE_ID] == 1 and result["triaged"] == 1
    assert result["per_label"]["乱贴乱画与违规广告"]["recall"] == 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("words,category\n路灯坏了,市政\n", "text,label"),
        ("text,label\n", "no labeled rows"),
        ("text,label\n路灯坏了,市政\n井盖没了,市政\n", "two different labels"),
    ],
)
def test_bad_csv_is_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text(content, encoding="utf-8")
    out = tmp_path / "out.yaml"
    assert main(["complaints", "learn", str(csv_file), "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_missing_files_are_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["complaints", "eval", str(tmp_path / "nope.csv")]) == 2
    assert "not found" in capsys.readouterr().err
    assert main(["complaints", "classify", "路灯坏了", "--config", str(tmp_path / "nope.yaml")]) == 2
    assert "not found" in capsys.readouterr().err


def test_folds_keep_duplicates_together() -> None:
    examples = learning.read_labeled_csv(SMALL_CSV)
    folds = learning.grouped_folds(examples, 3)
    by_text: dict[str, set[int]] = {}
    for example, fold in zip(examples, folds, strict=True):
        by_text.setdefault(example.text, set()).add(fold)
    assert any(len([e for e in examples if e.text == t]) > 1 for t in by_text), "the CSV has a duplicate"
    assert all(len(f) == 1 for f in by_text.values())
    sizes = [folds.count(f) for f in range(3)]
    assert max(sizes) - min(sizes) <= 3


def test_metrics_on_a_known_confusion() -> None:
    evaluation = learning.evaluate(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    assert evaluation.accuracy == 0.75
    assert evaluation.per_label["a"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert evaluation.per_label["b"]["precision"] == 0.6667 and evaluation.per_label["b"]["recall"] == 1.0
    assert evaluation.macro_f1 == pytest.approx((0.6667 + 0.8) / 2)


def test_phrase_keywords_match_adjacent_words_only() -> None:
    classifier = ComplaintClassifier.load(SHIPPED_DATA_DIR)
    tokens = classifier.tokens("垃圾清运车来了")
    assert len(tokens) >= 2
    phrase = f"{tokens[0]} {tokens[1]}"
    assert phrase in learning.features(tokens)
    apart = classifier.tokens(f"{tokens[1]}很多{tokens[0]}")
    assert phrase not in learning.features(apart)


@pytest.mark.parametrize("weighting", ["tfidf", "binary"])
def test_classifier_computes_what_the_learner_learned(tmp_path: Path, weighting: str) -> None:
    """The learned file in the classifier scores exactly like the learned model (bias + Σ weights)."""
    classifier = ComplaintClassifier.load(SHIPPED_DATA_DIR)
    examples = learning.read_labeled_csv(SMALL_CSV)
    options = learning.LearnOptions(max_keywords=30, weighting=weighting)
    model = learning.learn_from_examples(examples, classifier.tokens, options)
    departments = classifier.departments
    learned = learning.model_to_yaml(model, departments, classifier)
    out = tmp_path / "model.yaml"
    out.write_text(learned, encoding="utf-8")
    loaded = ComplaintClassifier.load(SHIPPED_DATA_DIR, categories_file=out)
    docs = learning.to_docs(examples, classifier.tokens)
    assert [loaded.classify(e.text).category_id for e in examples] == model.predict(docs)
    assert loaded.scoring == ("tfidf" if weighting == "tfidf" else "linear")
    # Long texts too: repeated words (tf) and texts longer than any in the training data.
    long_texts = [e.text * 3 + examples[-1 - i].text for i, e in enumerate(examples)]
    long_docs = learning.to_docs([learning.Example(t, "x") for t in long_texts], classifier.tokens)
    assert [loaded.classify(t).category_id for t in long_texts] == model.predict(long_docs)


def test_tfidf_scoring_values_and_missing_idf(tmp_path: Path) -> None:
    (tmp_path / "departments.yaml").write_text("departments: [{id: d, name: D}]\n", encoding="utf-8")
    body = (
        "settings: {scoring: tfidf}\n"
        "categories:\n"
        "  - {id: a, name: A, department: d, bias: 0.1, keywords: {路灯: 2.0, 噪音: -1.0}}\n"
        "  - {id: b, name: B, department: d, keywords: {噪音: 3.0}}\n"
    )
    (tmp_path / "c.yaml").write_text(body + "idf: {路灯: 3.0, 噪音: 4.0}\n", encoding="utf-8")
    classifier = ComplaintClassifier.load(tmp_path, categories_file=tmp_path / "c.yaml")
    tokens = classifier.tokens("路灯路灯噪音")
    assert tokens == ["路灯", "路灯", "噪音"]
    values = classifier.tfidf_values(tokens, classifier.matched_keywords(tokens))
    lamp, noise = (1 + math.log(2)) * 3.0, 4.0
    norm = math.hypot(lamp, noise)
    assert values == pytest.approx({"路灯": lamp / norm, "噪音": noise / norm})
    result = classifier.classify("路灯路灯噪音")
    assert result.scores["a"] == pytest.approx(0.1 + (2.0 * lamp - noise) / norm)
    assert result.category_id == ("a" if 0.1 + (2.0 * lamp - noise) / norm > 3 * noise / norm else "b")
    (tmp_path / "c.yaml").write_text(body + "idf: {路灯: 3.0}\n", encoding="utf-8")
    with pytest.raises(TaxonomyError, match="噪音"):
        ComplaintClassifier.load(tmp_path, categories_file=tmp_path / "c.yaml")


def test_phrase_keyword_in_a_categories_file(tmp_path: Path) -> None:
    (tmp_path / "departments.yaml").write_text("departments: [{id: d, name: D}]\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(
        "categories:\n"
        "  - {id: a, name: A, department: d, keywords: {'井盖 路灯': 2}}\n"
        "  - {id: b, name: B, department: d, keywords: {路灯: 1.5}}\n",
        encoding="utf-8",
    )
    classifier = ComplaintClassifier.load(tmp_path, categories_file=tmp_path / "c.yaml")
    assert classifier.tokens("井盖路灯都坏了")[:2] == ["井盖", "路灯"]
    assert classifier.classify("井盖路灯都坏了").category_id == "a"
    assert classifier.classify("路灯井盖都坏了").category_id == "b"


# ---------------------------------------------------------------------- learned files keep the urgent exclusions
def test_learned_file_keeps_urgent_exclusions_and_spellings(learned: Path) -> None:
    """A learned (tf-idf) file carries the shipped urgent kinds with their not_when phrases and the
    shipped spellings: a near miss stays ordinary under it, as under the shipped file."""
    shipped = ComplaintClassifier.load(SHIPPED_DATA_DIR)
    classifier = ComplaintClassifier.load(SHIPPED_DATA_DIR, categories_file=learned)
    assert classifier.spellings == shipped.spellings
    assert {k.name: k.not_when for k in classifier.urgent_kinds} == {
        k.name: k.not_when for k in shipped.urgent_kinds
    }
    for text in ("理发店给我剪了个爆炸头", "社区的禁毒宣传海报被撕了", "电动车在楼道充电，容易起火"):
        assert not classifier.classify(text).urgent, text
    assert classifier.classify("隔壁煤气罐暴炸了").urgent  # respelled 暴炸 → 爆炸, as shipped


# ---------------------------------------------------------------------- learning the shipped vocabulary's weights
FOOTREST_ROWS = [
    ("高铁上有人把脚搭在前面的座椅上", "public_conduct"),
    ("公交车上有人把鞋踩在座椅上", "public_conduct"),
    ("地铁里有人把腿架在座椅上", "public_conduct"),
    ("候车室有人把脚翘在座椅上", "public_conduct"),
    ("动车上有人光脚踩座椅", "public_conduct"),
    ("火车上有人脱鞋把脚放在座椅上", "public_conduct"),
    ("公园的座椅坏了", "municipal_facilities"),
    ("公交站的座椅断了一条腿", "municipal_facilities"),
    ("路边的座椅掉了一块板", "municipal_facilities"),
    ("广场上的座椅烂了", "municipal_facilities"),
    ("路口好多电动车闯红灯", "traffic"),
    ("楼下的垃圾桶满了没人清", "sanitation"),
    ("老楼起火了快来人", "urgent:重大安全事故"),
]
UNSEEN_FOOTREST = "长途车上有人把脚搭在座椅上"


@pytest.fixture(scope="module")
def fitted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fitted")
    csv_file, out = folder / "history.csv", folder / "fitted.yaml"
    csv_file.write_text(
        "text,label\n" + "".join(f"{t},{label}\n" for t, label in FOOTREST_ROWS), encoding="utf-8"
    )
    assert main(["complaints", "learn", str(csv_file), "--out", str(out), "--weights-only"]) == 0
    return out


def test_weights_only_keeps_the_shipped_file_line_for_line(fitted: Path) -> None:
    """Every keyword, class, place word, spelling, urgent kind and comment stays where it is in the
    shipped file; only the numbers of event keywords change (and a header line says so)."""
    shipped_lines = (SHIPPED_DATA_DIR / "complaint_categories.yaml").read_text(encoding="utf-8").split("\n")
    header, *fitted_lines = fitted.read_text(encoding="utf-8").split("\n")
    assert header.startswith("# Weights fitted on history.csv (12 labelled complaints)")
    assert len(fitted_lines) == len(shipped_lines)
    changed = [(a, b) for a, b in zip(shipped_lines, fitted_lines, strict=True) if a != b]
    assert changed, "some weight moved"
    for before, after in changed:
        assert before.rsplit(": ", 1)[0] == after.rsplit(": ", 1)[0]  # same keyword, same place
        float(after.rsplit(": ", 1)[1])
    shipped = ComplaintClassifier.load(SHIPPED_DATA_DIR)
    loaded = ComplaintClassifier.load(SHIPPED_DATA_DIR, categories_file=fitted)
    assert loaded.scoring == "sum"
    assert {c: set(w) for c, w in loaded.keyword_weights().items()} == {
        c: set(w) for c, w in shipped.keyword_weights().items()
    }
    assert {c.id: dict(c.places) for c in loaded.categories.values()} == {
        c.id: dict(c.places) for c in shipped.categories.values()
    }
    assert loaded.urgent_kinds == shipped.urgent_kinds and loaded.spellings == shipped.spellings


def test_weights_only_learns_from_the_history(fitted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shipped = ComplaintClassifier.load(SHIPPED_DATA_DIR)
    loaded = ComplaintClassifier.load(SHIPPED_DATA_DIR, categories_file=fitted)
    assert loaded.fallback is not None  # the fitted file keeps settings.fallback
    shipped.fallback = loaded.fallback = None  # the weights alone: what the fit changed
    assert shipped.classify(UNSEEN_FOOTREST).category_id == "municipal_facilities"
    assert loaded.classify(UNSEEN_FOOTREST).category_id == "public_conduct"
    rows = FOOTREST_ROWS[:-1]
    right = [sum(c.classify(t).category_id == label for t, label in rows) for c in (shipped, loaded)]
    assert right[1] > right[0]
    result = run_json(["complaints", "eval", str(SMALL_CSV), "--config", str(fitted), "--json"], capsys)
    assert result["n"] > 0  # the fitted file evaluates like any categories file


def test_fit_stays_near_the_shipped_weights_where_the_history_is_silent() -> None:
    shipped = ComplaintClassifier.load(SHIPPED_DATA_DIR)
    examples = [learning.Example(t, label) for t, label in FOOTREST_ROWS]
    fit = learning.fit_shipped_weights(examples, shipped)
    assert fit.n == len(FOOTREST_ROWS) - 1  # the urgent row takes no part
    before = shipped.keyword_weights()
    seen = set().union(*(shipped.event_keywords(t) for t, _ in FOOTREST_ROWS))
    silent = [(c, k) for c, words in before.items() for k in words if k not in seen]
    assert len(silent) > 1000
    assert all(fit.weights[c][k] == pytest.approx(before[c][k], abs=0.11) for c, k in silent)
    assert all(w >= 0 for words in fit.weights.values() for w in words.values())


def test_weights_only_needs_two_categories(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_file = tmp_path / "one.csv"
    csv_file.write_text(
        "text,label\n路灯坏了,municipal_facilities\n有人在这里赌博,urgent:黄赌毒\n", encoding="utf-8"
    )
    out = tmp_path / "out.yaml"
    assert main(["complaints", "learn", str(csv_file), "--out", str(out), "--weights-only"]) == 2
    assert "two categories" in capsys.readouterr().err
    assert not out.exists()


def test_learn_categories_only_from_several_files_writes_a_fallback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The shipped fallback is written this way: several CSVs, only rows labelled with a shipped
    category (urgent kinds and 待分拣 left out); the file loads as settings.fallback."""
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(
        "text,label\n"
        + "".join(f"楼下垃圾{i}天没人收,sanitation\n小区门口乱停车第{i}回,traffic\n" for i in range(6))
        + "楼里燃气泄漏了,urgent:重大安全事故\n",
        encoding="utf-8",
    )
    second.write_text(
        "text,label\n" + "".join(f"广场舞音响吵到第{i}天,noise\n" for i in range(6)) + "你好,triage\n",
        encoding="utf-8",
    )
    out = tmp_path / "fallback.yaml"
    argv = ["complaints", "learn", str(first), str(second), "--categories-only", "--out", str(out)]
    assert main(argv) == 0
    assert "18 条标注数据学习 3 个类别" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert "Learned from first.csv, second.csv" in text
    fallback = LearnedFallback.read(
        out, ComplaintClassifier.load(SHIPPED_DATA_DIR).categories, margin=0.3, min_confidence=0.3
    )
    assert set(fallback.bias) == {"sanitation", "traffic", "noise"}
    choice = fallback.choose(["广场舞", "音响"], ["noise", "traffic"])
    assert choice is not None and choice.category_id == "noise"


def test_a_missing_fallback_can_be_learned_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A city's data folder whose categories file names a fallback it lacks: sorting refuses to
    load (named file), and `learn --categories-only` writes the fallback that makes it load."""
    data = tmp_path / "data"
    shutil.copytree(SHIPPED_DATA_DIR, data)
    (data / "complaint_fallback.yaml").unlink()
    monkeypatch.setenv("DATA_DIR", str(data))
    with pytest.raises(TaxonomyError, match=r"complaint_fallback\.yaml: file not found"):
        ComplaintClassifier.load(data)
    history = tmp_path / "history.csv"
    history.write_text(
        "text,label\n"
        + "".join(f"楼下垃圾{i}天没人收,sanitation\n广场舞太吵第{i}天,noise\n" for i in range(6)),
        encoding="utf-8",
    )
    argv = [
        "complaints",
        "learn",
        str(history),
        "--categories-only",
        "--out",
        str(data / "complaint_fallback.yaml"),
    ]
    assert main(argv) == 0
    capsys.readouterr()
    classifier = ComplaintClassifier.load(data)
    assert classifier.fallback is not None and set(classifier.fallback.bias) == {"sanitation", "noise"}


def test_learned_idf_is_the_squared_smooth_idf() -> None:
    """The file's idf is (ln((1 + n) / (1 + df)) + 1) ** idf_power (2 by default), df counted over
    the training texts: a person adding a keyword can compute its idf."""
    classifier = ComplaintClassifier.load(SHIPPED_DATA_DIR)
    examples = learning.read_labeled_csv(SMALL_CSV)
    docs = learning.to_docs(examples, classifier.tokens)
    for power in (1.0, 2.0):
        options = learning.LearnOptions(max_keywords=30, idf_power=power)
        model = learning.learn(docs, [e.label for e in examples], options)
        assert model.idf
        for keyword, idf in model.idf.items():
            df = sum(any(k == keyword for k, _ in doc.counts) for doc in docs)
            assert idf == pytest.approx((math.log((1 + len(docs)) / (1 + df)) + 1) ** power, abs=1e-3)
    assert learning.LearnOptions().idf_power == 2.0
