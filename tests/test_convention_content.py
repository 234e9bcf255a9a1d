"""The convention files: the shipped ones are complete, a broken one fails with one line naming it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from bot.config import SHIPPED_DATA_DIR, ConfigError, Settings, load_settings
from bot.harness import ChatHarness
from bot.services.convention import ContentError, load_convention
from handlers.convention.browse import parse_article_number
from handlers.convention.views import content_error_text


def test_shipped_convention_is_complete() -> None:
    convention = load_convention(SHIPPED_DATA_DIR)
    assert convention.size == 20
    assert [a.number for a in convention.articles] == list(range(1, 21))
    for article in convention.articles:
        assert 0 < len(article.title) <= 8
        assert article.do and article.dont and article.keywords and article.explanation
        assert len(convention.questions_for(article.number)) >= 2
    assert all(len(q.options) == 4 and 0 <= q.answer < 4 for q in convention.questions)
    assert len({q.id for q in convention.questions}) == len(convention.questions)
    # Real rules are named; the ones with a fixed national fine say so.
    assert "五元以上五十元以下" in (convention.article(3).rule or "")  # type: ignore[union-attr]


def _copy(tmp_path: Path) -> Path:
    for name in ("convention.yaml", "convention_quiz.yaml"):
        shutil.copy(SHIPPED_DATA_DIR / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "change", "expected"),
    [
        (
            "convention.yaml",
            lambda d: d["articles"][2].pop("title"),
            "convention.yaml 第 3 条 — 缺少字段 title",
        ),
        ("convention.yaml", lambda d: d["articles"][4].update(title="文明停车不乱停放车"), "超过 8 个字"),
        ("convention.yaml", lambda d: d["articles"][6].update(number=9), "第 7 个条目 — number 应为 7"),
        ("convention.yaml", lambda d: d["articles"][0].update(do=[]), "第 1 条 — 字段 do 应为非空列表"),
        ("convention_quiz.yaml", lambda d: d["questions"][1].update(answer="E"), "第 2 个题目 — answer"),
        ("convention_quiz.yaml", lambda d: d["questions"][3].update(options=["a", "b"]), "应有 4 项"),
        ("convention_quiz.yaml", lambda d: d["questions"][0].update(article=21), "1 到 20"),
        (
            "convention_quiz.yaml",
            lambda d: d.update(questions=[q for q in d["questions"] if q["article"] != 9]),
            "第 9 条只有 0 道",
        ),
    ],
)
def test_malformed_file_gives_one_line_naming_file_and_entry(tmp_path: Path, file, change, expected) -> None:  # type: ignore[no-untyped-def]
    data_dir = _copy(tmp_path)
    _edit(data_dir / file, change)
    with pytest.raises(ContentError) as raised:
        load_convention(data_dir)
    message = content_error_text(raised.value)
    assert "\n" not in message
    assert file in message and expected in message


def test_broken_yaml_and_missing_file(tmp_path: Path) -> None:
    data_dir = _copy(tmp_path)
    (data_dir / "convention.yaml").write_text("articles: [\n  - number: 1\n title", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_convention(data_dir)
    assert re.search(r"convention\.yaml 第 \d+ 行 — YAML 格式错误$", content_error_text(raised.value))
    (data_dir / "convention.yaml").unlink()
    with pytest.raises(ContentError) as raised:
        load_convention(data_dir)
    assert content_error_text(raised.value).endswith("convention.yaml — 文件不存在")


async def test_a_broken_file_stops_the_start_with_one_line(
    tmp_path: Path, settings: Settings, engine
) -> None:  # type: ignore[no-untyped-def]
    """`chuangwen run` prints a ConfigError as one line and exits; the start-up hook raises one."""
    data_dir = _copy(tmp_path)
    for name in ("departments.yaml", "complaint_categories.yaml", "districts.yaml", "userdict.txt"):
        shutil.copy(SHIPPED_DATA_DIR / name, data_dir / name)
    _edit(data_dir / "convention.yaml", lambda d: d["articles"][2].pop("title"))
    harness = ChatHarness(settings.model_copy(update={"data_dir": data_dir}))
    with pytest.raises(ConfigError) as raised:
        await harness.start()
    assert str(
        raised.value
    ) == "公约内容错误: tmp_path/convention.yaml 第 3 条 — 缺少字段 title（应为非空文字）".replace(
        "tmp_path", data_dir.name
    )


def test_a_city_can_replace_the_files(tmp_path: Path) -> None:
    data_dir = _copy(tmp_path)
    _edit(data_dir / "convention.yaml", lambda d: d["articles"][0].update(title="不吐痰"))
    assert load_convention(data_dir).article(1).title == "不吐痰"  # type: ignore[union-attr]


def test_daily_article_time_setting() -> None:
    assert (
        load_settings(DAILY_ARTICLE_TIME="7:30", _env_file=None).daily_article_time.strftime("%H:%M")
        == "07:30"
    )
    with pytest.raises(ConfigError, match="DAILY_ARTICLE_TIME — 应为 24 小时制"):
        load_settings(DAILY_ARTICLE_TIME="25:00", _env_file=None)


@pytest.mark.parametrize(
    ("text", "number"),
    [("3", 3), ("３", 3), ("第3条", 3), ("第十二条", 12), ("二十", 20), ("十", 10), ("0", 0), ("21", 21)],
)
def test_article_numbers(text: str, number: int) -> None:
    assert parse_article_number(text) == number


@pytest.mark.parametrize("text", ["abc", "", "狗狗", "一百二十三", "第条", "3.5", "²"])
def test_not_article_numbers(text: str) -> None:
    assert parse_article_number(text) is None


def test_cli_check_reports_a_broken_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    data_dir = _copy(tmp_path)
    _edit(data_dir / "convention_quiz.yaml", lambda d: d["questions"][4].update(answer="F"))
    assert main(["convention", "check", str(data_dir)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "convention_quiz.yaml 第 5 个题目 — answer 应为 A、B、C 或 D" in error
    assert main(["convention", "check", str(SHIPPED_DATA_DIR), "--ask", "狗狗出门不拴绳可以吗"]) == 0
    output = capsys.readouterr().out
    assert "20 条公约" in output and "第 12 条 文明养犬" in output.splitlines()[1]
