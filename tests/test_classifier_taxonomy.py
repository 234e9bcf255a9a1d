"""The shipped taxonomy (data/complaint_categories.yaml) on what residents write, and the matching
rules it relies on: event words decide and place words only break ties, keywords are found inside
compound words, urgent words are not flagged in another sense (not_when), and the evaluation that
holds the floors of the held-out set.

Data (tests/data/):
- complaints_eval.csv: the held-out evaluation set, written by people who never saw the keyword
  files, never used to choose keywords;
- complaints_dev.csv: the development set, written the same way, used to tune the vocabulary;
- complaints_dev_rounds.csv: a second development set, twenty rounds of complaints written for
  issue 19 (column round), each scored before the words it lacked were added, then used to tune;
  the learned fallback (data/complaint_fallback.yaml) is learned from these two development sets;
- complaints_examples.yaml: complaints written for the project (also the speed benchmark's texts);
- urgent_near_misses.csv: ordinary complaints holding an urgent-sounding word in another sense.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import jieba
import pytest
import yaml

from bot.cli import main
from bot.complaints_cli import evaluate_fixed
from bot.config import SHIPPED_DATA_DIR
from bot.services import complaint_learning as learning
from bot.services.classifier import TRIAGE_ID, URGENT_LABEL_PREFIX, ComplaintClassifier, TaxonomyError

DATA = Path(__file__).parent / "data"
HELD_OUT = DATA / "complaints_eval.csv"
DEV = DATA / "complaints_dev.csv"
DEV_ROUNDS = DATA / "complaints_dev_rounds.csv"
NEAR_MISSES = DATA / "urgent_near_misses.csv"
EXAMPLES: list[dict[str, Any]] = yaml.safe_load(
    (DATA / "complaints_examples.yaml").read_text(encoding="utf-8")
)["examples"]
URGENT_EXAMPLES = [e for e in EXAMPLES if e["label"].startswith(URGENT_LABEL_PREFIX)]


@pytest.fixture(scope="module")
def classifier() -> ComplaintClassifier:
    return ComplaintClassifier.load(SHIPPED_DATA_DIR)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _taxonomy(tmp_path: Path, body: str) -> ComplaintClassifier:
    (tmp_path / "departments.yaml").write_text(
        "departments: [{id: a, name: A}, {id: b, name: B}, {id: u, name: U}]\n", encoding="utf-8"
    )
    (tmp_path / "complaint_categories.yaml").write_text(body, encoding="utf-8")
    return ComplaintClassifier.load(tmp_path)


# ---------------------------------------------------------------------- floors
def test_held_out_evaluation_floors(classifier: ComplaintClassifier) -> None:
    """The held-out set (never read, never used to choose keywords or to learn the fallback) keeps
    what the shipped taxonomy reaches today with its learned fallback: accuracy 0.925 (issue 19's
    goal 0.92), macro-F1 0.928, every label's recall 0.85 or more (the weakest, 物业 and 重大环境事件,
    at 0.855), 0.5 % to 待分拣, 2 ordinary complaints flagged urgent."""
    assert HELD_OUT.is_file(), f"{HELD_OUT} (the held-out evaluation set) is missing"
    evaluation = evaluate_fixed(learning.read_labeled_csv(HELD_OUT), classifier)
    assert evaluation.n >= 900
    assert evaluation.accuracy >= 0.92
    assert evaluation.macro_f1 >= 0.92
    assert min(evaluation.extra["recall"].values()) >= 0.85
    assert evaluation.extra["triage_share"] <= 0.01
    assert evaluation.extra["ordinary_flagged_urgent"] <= 2


@pytest.mark.parametrize(
    ("path", "n", "flagged"), [(DEV, 480, 0), (DEV_ROUNDS, 3900, 1)], ids=["dev", "dev_rounds"]
)
def test_dev_set_floors(classifier: ComplaintClassifier, path: Path, n: int, flagged: int) -> None:
    """The development sets the vocabulary was tuned on and the fallback learned from (not an
    estimate of new text). The one ordinary complaint of the rounds flagged urgent is one person's
    diarrhoea after a noodle shop: the 食品药品安全事故 words cannot tell one diner from many."""
    evaluation = evaluate_fixed(learning.read_labeled_csv(path), classifier)
    assert evaluation.n >= n
    assert evaluation.accuracy >= 0.98
    assert min(evaluation.extra["recall"].values()) >= 0.95
    assert evaluation.extra["triage_share"] <= 0.01
    assert evaluation.extra["ordinary_flagged_urgent"] <= flagged


def test_the_shipped_taxonomy_has_its_fallback(classifier: ComplaintClassifier) -> None:
    """data/complaint_fallback.yaml, learned from the development sets, covers every category."""
    assert classifier.fallback is not None
    assert set(classifier.fallback.bias) == set(classifier.categories)


def test_dev_rounds_cover_every_label_and_voice() -> None:
    """At least 600 complaints, every category and urgent kind at least 50 times."""
    rows = _read(DEV_ROUNDS)
    classifier = ComplaintClassifier.load(SHIPPED_DATA_DIR)
    labels = set(classifier.categories) | {URGENT_LABEL_PREFIX + k.name for k in classifier.urgent_kinds}
    assert len(rows) >= 600 and len({r["text"] for r in rows}) == len(rows)
    assert {r["label"] for r in rows} == labels
    counts = {label: sum(r["label"] == label for r in rows) for label in labels}
    assert min(counts.values()) >= 50, counts


def test_examples_cover_every_label(classifier: ComplaintClassifier) -> None:
    labels = {e["label"] for e in EXAMPLES}
    kinds = {URGENT_LABEL_PREFIX + kind.name for kind in classifier.urgent_kinds}
    assert set(classifier.categories) | kinds | {TRIAGE_ID} == labels
    assert len(EXAMPLES) >= 500


def test_shipped_taxonomy_sorts_resident_complaints(classifier: ComplaintClassifier) -> None:
    examples = [learning.Example(e["text"], e["label"]) for e in EXAMPLES]
    evaluation = evaluate_fixed(examples, classifier)
    assert evaluation.accuracy >= 0.95
    assert evaluation.extra["triage_share"] <= 0.02


@pytest.mark.parametrize("example", URGENT_EXAMPLES, ids=lambda e: e["text"][:14])
def test_urgent_reports_are_flagged(classifier: ComplaintClassifier, example: dict[str, Any]) -> None:
    result = classifier.classify(example["text"])
    assert example["label"].removeprefix(URGENT_LABEL_PREFIX) in result.urgent_kinds
    assert result.time_limit_hours == classifier.urgent_time_limit_hours


def test_every_urgent_kind_of_the_dev_set_is_flagged(classifier: ComplaintClassifier) -> None:
    rows = [r for r in _read(DEV) + _read(DEV_ROUNDS) if r["label"].startswith(URGENT_LABEL_PREFIX)]
    for kind in classifier.urgent_kinds:
        reports = [r["text"] for r in rows if r["label"] == URGENT_LABEL_PREFIX + kind.name]
        flagged = [t for t in reports if kind.name in classifier.classify(t).urgent_kinds]
        assert len(reports) >= 20 and len(flagged) >= 0.95 * len(reports), kind.name


# ---------------------------------------------------------------------- urgent words in another sense
NEAR_MISS_ROWS = _read(NEAR_MISSES)


def test_near_miss_file_is_large_and_ordinary() -> None:
    assert len(NEAR_MISS_ROWS) >= 70
    assert not any(r["label"].startswith(URGENT_LABEL_PREFIX) for r in NEAR_MISS_ROWS)


@pytest.mark.parametrize("row", NEAR_MISS_ROWS, ids=lambda r: r["text"][:14])
def test_near_misses_are_not_urgent(classifier: ComplaintClassifier, row: dict[str, str]) -> None:
    result = classifier.classify(row["text"])
    assert not result.urgent, result.urgent_kinds
    assert result.time_limit_hours != classifier.urgent_time_limit_hours


def test_near_misses_still_reach_their_category(classifier: ComplaintClassifier) -> None:
    right = [r for r in NEAR_MISS_ROWS if classifier.classify(r["text"]).category_id == r["label"]]
    assert len(right) >= 0.95 * len(NEAR_MISS_ROWS)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("工人从脚手架上摔下来受伤了，快打120", "重大安全事故"),
        ("差点摔下来，还好没事", None),
        ("楼道里的电动车起火了", "重大安全事故"),
        ("电动车在楼道充电，容易起火", None),
        ("消防演练的时候隔壁真的着火了", "重大安全事故"),
        ("理发店给我剪了个爆炸头", None),
        ("有人在出租屋里吸毒", "黄赌毒"),
        ("社区的禁毒宣传海报被撕了", None),
        ("吃了那家的盒饭，全家上吐下泻", "食品药品安全事故"),
    ],
)
def test_urgent_words_count_outside_their_other_senses(
    classifier: ComplaintClassifier, text: str, kind: str | None
) -> None:
    kinds = classifier.classify(text).urgent_kinds
    assert (kind in kinds) if kind else not kinds


def test_not_when_phrases_mask_only_the_words_inside_them(tmp_path: Path) -> None:
    classifier = _taxonomy(
        tmp_path,
        "urgent:\n  kinds:\n"
        "    - {name: 火情, department: u, keywords: [着火, 爆炸], not_when: [容易…, 差点 …, 爆炸头]}\n"
        "categories: [{id: x, name: X, department: a, keywords: {垃圾: 2}}]\n",
    )
    assert not classifier.urgent_kinds_in("楼道堆满杂物，容易着火")  # "…": right before the word
    assert not classifier.urgent_kinds_in("差点把楼道里的纸箱点着火")  # space: later in the clause
    assert classifier.urgent_kinds_in("差点迟到，楼下着火了")  # another clause
    assert not classifier.urgent_kinds_in("他顶着个爆炸头")
    assert classifier.urgent_kinds_in("他顶着个爆炸头，隔壁煤气罐爆炸了")  # one occurrence outside


def test_a_not_when_phrase_without_a_keyword_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="消防演练"):
        _taxonomy(
            tmp_path,
            "urgent:\n  kinds:\n    - {name: 火情, keywords: [着火], not_when: [消防演练]}\n"
            "categories: [{id: x, name: X, department: a, keywords: {垃圾: 2}}]\n",
        )


# ---------------------------------------------------------------------- event words and place words
@pytest.mark.parametrize(
    ("text", "category", "place"),
    [
        ("人行道上堆满了建材，推车都过不去", "street_vending", "人行道"),
        ("盲道上停满了电动车", "traffic", "盲道"),
        ("小区里有人乱扔装修垃圾", "sanitation", "小区"),
        ("外卖小哥闯红灯还逆行", "traffic", "外卖小哥"),
        ("点了外卖，吃出一根头发", "food_market", "外卖"),
    ],
)
def test_event_words_decide_over_place_words(
    classifier: ComplaintClassifier, text: str, category: str, place: str
) -> None:
    result = classifier.classify(text)
    assert result.category_id == category
    assert place not in result.keywords


def test_a_place_word_alone_decides(classifier: ComplaintClassifier) -> None:
    result = classifier.classify("我们小区这个情况请你们来看一下")
    assert result.category_id == "property" and result.keywords == ("小区",)


PLACES = """
settings: {min_score: 1, min_margin: 0.25}
categories:
  - {id: shop, name: Shop, department: a, keywords: {摆: 2, 桌子: 2}, places: {人行道: 3}}
  - {id: road, name: Road, department: b, keywords: {坏了: 2, 砖: 2}, places: {盲道: 1}}
"""


def test_place_words_only_break_a_tie(tmp_path: Path) -> None:
    classifier = _taxonomy(tmp_path, PLACES)
    # Event words 2 : 2, a tie: the place word of one of them decides.
    tie = classifier.classify("人行道上摆的东西坏了")
    assert tie.category_id == "shop" and "人行道" in tie.keywords
    # Event words 4 : 2, no tie: the heavier place word of the loser does not count.
    clear = classifier.classify("人行道上的砖坏了，还摆着桌子")
    assert clear.category_id == "shop"
    clear = classifier.classify("人行道的砖坏了，有人摆了东西")
    assert clear.category_id == "road" and "人行道" not in clear.keywords
    # No event word: the place word decides alone.
    assert classifier.classify("盲道那边你们来看看").category_id == "road"


def test_places_are_refused_in_a_learned_file(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="places"):
        _taxonomy(tmp_path, "settings: {scoring: linear}\n" + PLACES.split("\n", 2)[2])


# ---------------------------------------------------------------------- words inside words
def test_keywords_are_found_inside_compound_words(tmp_path: Path) -> None:
    classifier = _taxonomy(
        tmp_path,
        "categories:\n"
        "  - {id: air, name: Air, department: a, keywords: {工厂: 2, 烟囱: 2}}\n"
        "  - {id: food, name: Food, department: b, keywords: {早餐: 2}}\n",
    )
    assert "化工厂" in classifier.tokens("化工厂又在排气")  # jieba keeps it whole …
    assert classifier.classify("化工厂又在排气").category_id == "air"  # … 工厂 is found inside
    assert classifier.classify("早餐店门口全是苍蝇").category_id == "food"


def test_shipped_taxonomy_finds_compounds(classifier: ComplaintClassifier) -> None:
    result = classifier.classify("化工厂烟囱冒黑烟")
    assert result.category_id == "ecology"


def test_tokens_are_jieba_precise_cut_then_its_search_mode_pieces(classifier: ComplaintClassifier) -> None:
    """The classifier's one-pass segmentation equals jieba's own: Tokenizer.cut(HMM=False) for the
    words, and the 2- and 3-character dictionary words cut_for_search adds inside longer ones."""
    jieba_tokenizer = classifier.tokenizer
    texts = (
        [r["text"] for r in _read(DEV)] + [e["text"] for e in EXAMPLES] + ["KTV 的 LED 屏\n一晚上 120 分贝!!"]
    )
    for text in texts:
        words = [w for w in jieba_tokenizer.cut(classifier.respell(text), HMM=False) if w.strip()]
        pieces = [
            word[i : i + n]
            for word in words
            for n in (2, 3)
            if len(word) > n
            for i in range(len(word) - n + 1)
            if jieba_tokenizer.FREQ.get(word[i : i + n])
        ]
        tokens = classifier.tokens(text)
        assert tokens[: len(words)] == words
        assert sorted(tokens[len(words) :]) == sorted(pieces)


def test_marked_dictionary_words_cut_as_plain_frequencies_would(classifier: ComplaintClassifier) -> None:
    """The keywords' entries ride on their dictionary frequencies (segmenter.Marked): jieba itself,
    HMM and all, cuts every text as a dictionary of plain numbers does."""
    marked = classifier.tokenizer
    plain = jieba.Tokenizer()
    plain.FREQ = {word: int(frequency) for word, frequency in marked.FREQ.items()}
    plain.total, plain.initialized = marked.total, True
    assert any(type(f) is not int for f in marked.FREQ.values())  # the keywords are marked
    texts = [r["text"] for r in _read(HELD_OUT)[:300]] + [e["text"] for e in EXAMPLES[:300]]
    for text in texts:
        assert marked.lcut(text) == plain.lcut(text)
        assert marked.lcut_for_search(text) == plain.lcut_for_search(text)


def test_keywords_found_while_cutting_equal_those_looked_up_in_the_words(
    classifier: ComplaintClassifier,
) -> None:
    """classify finds the keywords through the cut's marks and looks up only the words the cut never
    did (punctuation, letters and digits, unknown characters); matched_keywords looks up every
    word. Both find the same keywords."""
    texts = (
        [r["text"] for r in _read(HELD_OUT)]
        + [r["text"] for r in _read(DEV)]
        + ["KTV 的 LED 屏\n一晚上 120 分贝!!", "PM2.5爆表，烟囱冒黑烟", "拉圾桶满了冇人清", "㐀㐁垃圾", "!!!"]
    )
    for text in texts:
        tokens, found = classifier._cut_and_find(classifier.respell(text))
        assert tokens == classifier.tokens(text)
        assert set(found) == classifier.matched_keywords(tokens)


def test_keywords_the_cut_never_looks_up_are_still_found(tmp_path: Path) -> None:
    """A keyword that is a character unknown to jieba, a symbol or a run of letters the dictionary
    lacks carries no mark: classify looks those words up itself."""
    classifier = _taxonomy(
        tmp_path,
        "categories:\n"
        "  - {id: x, name: X, department: a, keywords: {㐀: 2, ＃: 2}}\n"
        "  - {id: y, name: Y, department: b, keywords: {垃圾: 2}}\n",
    )
    assert classifier.classify("这里有㐀").category_id == "x"
    assert classifier.classify("门口＃＃").category_id == "x"
    assert classifier.classify("门口有垃圾").category_id == "y"


def test_a_keyword_inside_a_longer_keyword_found_counts_once(tmp_path: Path) -> None:
    classifier = _taxonomy(
        tmp_path, "categories: [{id: x, name: X, department: a, keywords: {垃圾: 1, 垃圾桶: 2}}]\n"
    )
    assert classifier.classify("垃圾桶满了").scores == {"x": 2.0}
    assert classifier.classify("垃圾桶旁边全是垃圾").scores == {"x": 3.0}


def test_plus_keywords_need_every_word(tmp_path: Path) -> None:
    classifier = _taxonomy(
        tmp_path,
        "urgent:\n  kinds:\n    - {name: 死鱼, department: u, keywords: [鱼+死光]}\n"
        "categories: [{id: x, name: X, department: a, keywords: {河: 1}}]\n",
    )
    assert classifier.urgent_kinds_in("塘里的鱼一夜之间死光了")
    assert not classifier.urgent_kinds_in("花都死光了")


# ---------------------------------------------------------------------- other spellings
def test_spellings_respell_the_complaint_and_the_keywords(tmp_path: Path) -> None:
    classifier = _taxonomy(
        tmp_path,
        "spellings: {拉圾: 垃圾, 冇: 没}\n"
        "categories: [{id: x, name: X, department: a, keywords: {垃圾桶: 2, 冇人清: 3}}]\n",
    )
    for text in ("垃圾桶没人清", "拉圾桶冇人清", "拉圾桶没人清"):
        result = classifier.classify(text)
        assert result.scores == {"x": 5.0}, text  # the keyword written 冇人清 matches 没人清 too
        assert result.keywords == ("没人清", "垃圾桶")
    assert classifier.tokens("拉圾桶") == classifier.tokens("垃圾桶")


def test_spellings_reach_urgent_words_and_their_exclusions(tmp_path: Path) -> None:
    classifier = _taxonomy(
        tmp_path,
        "spellings: {暴炸: 爆炸}\n"
        "urgent:\n  kinds:\n    - {name: 火情, department: u, keywords: [爆炸], not_when: [爆炸头]}\n"
        "categories: [{id: x, name: X, department: a, keywords: {垃圾: 2}}]\n",
    )
    assert classifier.urgent_kinds_in("楼下煤气罐暴炸了")
    assert not classifier.urgent_kinds_in("理发店给我剪了个暴炸头")


@pytest.mark.parametrize("spellings", ["{垃圾: 拉圾, 拉圾: 垃圾}", "{'拉 圾': 垃圾}", "{a+b: c}"])
def test_spellings_that_loop_or_split_a_keyword_are_refused(tmp_path: Path, spellings: str) -> None:
    with pytest.raises(TaxonomyError, match="spellings"):
        _taxonomy(tmp_path, f"spellings: {spellings}\ncategories: [{{id: x, name: X, department: a}}]\n")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("拉圾桶满了冇人清", "sanitation"),
        ("楼下燥音太大了", "noise"),
        ("路口红路灯坏了", "municipal_facilities"),
        ("电线杆上全是牛皮鲜", "illegal_ads"),
    ],
)
def test_shipped_spellings(classifier: ComplaintClassifier, text: str, category: str) -> None:
    assert classifier.classify(text).category_id == category


def test_alternatives_in_plus_keywords(tmp_path: Path) -> None:
    """ "A|B+C|D": any word of each part; a category counts the keyword once, however many of its
    combinations the complaint holds; an urgent part counts when one of its words found is outside
    every not_when phrase."""
    classifier = _taxonomy(
        tmp_path,
        "urgent:\n  kinds:\n"
        "    - {name: 中毒, department: u, keywords: [吃了|喝了+住院|呕吐], not_when: [差点 …]}\n"
        "categories: [{id: x, name: X, department: a, keywords: {地铁|公交+大声|吵: 3}}]\n",
    )
    assert classifier.urgent_kinds_in("喝了那瓶饮料就住院了")
    assert classifier.urgent_kinds_in("吃了以后一直呕吐")
    assert not classifier.urgent_kinds_in("吃了饭去医院看病")
    assert not classifier.urgent_kinds_in("差点吃了就呕吐")  # every word of the combination masked
    assert classifier.classify("地铁上有人大声打电话").scores == {"x": 3.0}
    assert classifier.classify("地铁里吵，公交上也有人大声外放").scores == {"x": 3.0}
    assert classifier.classify("有人大声打电话").category_id == TRIAGE_ID


# ---------------------------------------------------------------------- the standard's classes
STANDARD_PREFIXES = ("事件·", "部件·", "创文·", "生态·")


def test_every_category_lists_the_classes_it_covers(classifier: ComplaintClassifier) -> None:
    for category in classifier.categories.values():
        assert category.covers, category.id
        for kind, words in category.covers.items():
            assert kind.startswith(STANDARD_PREFIXES), kind
            assert len(words) >= 2, kind  # everyday words, not only the official term
            assert set(words) <= set(category.keywords)


@pytest.mark.parametrize(
    ("category", "kind", "text"),
    [
        ("street_vending", "事件·街面秩序·店外经营", "服装店把衣架推到店门外面卖"),
        ("street_vending", "事件·街面秩序·私设地锁", "有人在公共停车位上装了地锁"),
        ("street_vending", "事件·街面秩序·乱堆物料", "沙子水泥堆在路上好几个月了"),
        ("sanitation", "事件·市容环境·装修垃圾乱倒", "有人半夜把装修垃圾倒在路边"),
        ("public_conduct", "部件·园林绿化·古树名木", "有人在古树上刻字"),
        ("public_conduct", "创文·公共场所吸烟", "有人在电梯里抽烟"),
        ("municipal_facilities", "部件·公用设施·消火栓", "路边消防栓漏水好几天了"),
        ("municipal_facilities", "部件·道路交通·公交站亭", "公交站亭的玻璃碎了一地"),
        ("food_market", "创文·餐饮卫生", "巷子里的小饭馆没有营业执照"),
        ("food_market", "创文·食品安全", "学校门口卖三无零食"),
        ("food_market", "创文·餐饮卫生", "面包店里有老鼠跑来跑去"),
        ("noise", "创文·设备与工业噪声", "厂里的机器半夜轰隆隆响个不停"),
        ("ecology", "生态·毁林与生态破坏", "后山有人偷偷砍树，还往山上倒垃圾"),
    ],
)
def test_everyday_event_kinds_of_issue_19(
    classifier: ComplaintClassifier, category: str, kind: str, text: str
) -> None:
    assert kind in classifier.categories[category].covers
    assert classifier.classify(text).category_id == category


def test_a_keyword_with_two_weights_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="垃圾"):
        _taxonomy(
            tmp_path,
            "categories:\n  - {id: x, name: X, department: a, covers: {事件·a: {垃圾: 1}}, keywords: {垃圾: 2}}\n",
        )


# ---------------------------------------------------------------------- evaluation command
def test_eval_reports_accuracy_recall_and_triage_share(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "set.csv"
    path.write_text(
        "text,label\n"
        "路口好多电动车闯红灯,traffic\n"
        "楼下的垃圾桶满了没人清,sanitation\n"
        "老楼起火了快来人,urgent:重大安全事故\n"
        "小区门口有人聚众赌博,urgent:黄赌毒\n"
        "在吗,other\n",
        encoding="utf-8",
    )
    assert main(["complaints", "eval", str(path), "--shipped", "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    assert {"n", "accuracy", "macro_f1", "triaged", "per_label", "confusion"} <= set(report)
    assert report["n"] == 5 and report["accuracy"] == 0.8 and report["triaged"] == 1
    assert report["triage_share"] == 0.2
    assert report["recall"] == {
        "other": 0.0,
        "sanitation": 1.0,
        "traffic": 1.0,
        "urgent:重大安全事故": 1.0,
        "urgent:黄赌毒": 1.0,
    }
    assert report["ordinary_flagged_urgent"] == 0
    assert main(["complaints", "eval", str(path), "--shipped"]) == 0
    text = capsys.readouterr().out
    assert re.search(r"待分拣: 1（20\.0%）", text) and "最低召回率: 0.000" in text
