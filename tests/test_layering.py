"""Wording lives in texts catalogues: services import none, and no Chinese literal lives elsewhere.

An AST check. Features are converted one at a time; CONVERTED lists the ones that must pass (add
yours when its package is in the feature shape). The kit is held to it from the start.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Features in the shape of issue 13: handlers/<name>/ and bot/services/<name>/ (add yours here).
CONVERTED = [
    "broadcasts",
    "common",
    "convention",
    "inspections",
    "nominations",
    "outbox",
    "staff",
    "tickets",
    "volunteers",
]
# Converted features without a services package of their own: their rules are the core services
# (common: bot/services/users.py and personal_data.py, shared by every feature; outbox: bot/outbox/).
WITHOUT_SERVICES = {"common", "outbox"}
ALWAYS_CHECKED = [ROOT / "handlers" / "kit"]
# The report's engine, shared by every feature's sections: it renders nothing and knows no wording.
REPORT_ENGINE = [
    ROOT / "bot" / "services" / "reports" / f"{name}.py" for name in ("__init__", "core", "schedule")
]
TEXTS_MODULE = "texts"  # handlers/<feature>/texts.py and bot/texts.py
# Ideographs (and extension A), CJK punctuation, and full-width forms such as "，" "：" "（".
CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def python_files(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*.py"))


def service_files(feature: str) -> list[Path]:
    if feature in WITHOUT_SERVICES:
        return []
    package = ROOT / "bot" / "services" / feature
    return python_files(package) if package.is_dir() else [ROOT / "bot" / "services" / f"{feature}.py"]


def feature_files(feature: str) -> list[Path]:
    return [*service_files(feature), *python_files(ROOT / "handlers" / feature)]


def imported_modules(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def wording_imports(path: Path) -> list[str]:
    """Imports of a texts module (``bot.texts``, ``handlers.x.texts``) or of the Telegram face."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sorted(
        name
        for name in imported_modules(tree)
        if name.split(".")[-1] == TEXTS_MODULE
        or name == "handlers"
        or name.startswith(("handlers.", "telegram"))
    )


def docstring_nodes(tree: ast.AST) -> set[int]:
    nodes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                nodes.add(id(body[0].value))
    return nodes


def chinese_literals(source: str) -> list[tuple[int, str]]:
    """(line, literal) of string literals written with Chinese characters (docstrings aside).

    The source text is checked, not the value: "[\\u4e00-\\u9fff]" in a regular expression is not
    wording.
    """
    tree = ast.parse(source)
    skipped = docstring_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped:
            written = ast.get_source_segment(source, node) or ""
            if CHINESE.search(written):
                found.append((node.lineno, written))
    return found


def test_the_checker_finds_wording_and_ignores_docstrings_and_escapes() -> None:
    source = '"""模块说明。"""\nX = "你好"\ndef f() -> str:\n    """说明。"""\n    return f"第 {1} 条"\nY = "[\\u4e00-\\u9fff]"\n'
    assert sorted({line for line, _ in chinese_literals(source)}) == [2, 5]  # an f-string has parts
    assert chinese_literals((ROOT / "bot" / "texts.py").read_text(encoding="utf-8"))


@pytest.mark.parametrize("feature", CONVERTED)
def test_services_of_converted_features_import_no_wording_and_no_telegram(feature: str) -> None:
    offenders = {str(p.relative_to(ROOT)): wording_imports(p) for p in service_files(feature)}
    assert {path: names for path, names in offenders.items() if names} == {}


@pytest.mark.parametrize("feature", CONVERTED)
def test_converted_features_keep_chinese_only_in_their_texts_module(feature: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): chinese_literals(path.read_text(encoding="utf-8"))
        for path in feature_files(feature)
        if path.stem != TEXTS_MODULE
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_kit_has_no_wording_of_its_own() -> None:
    offenders = {
        str(path.relative_to(ROOT)): chinese_literals(path.read_text(encoding="utf-8"))
        for path in python_files(*ALWAYS_CHECKED)
        if path.stem != TEXTS_MODULE
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_report_engine_has_no_wording() -> None:
    offenders = {
        str(path.relative_to(ROOT)): wording_imports(path)
        + [text for _, text in chinese_literals(path.read_text())]
        for path in REPORT_ENGINE
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_converted_features_have_the_shape() -> None:
    import handlers

    with_buttons = {f.name for f in handlers.FEATURES if f.buttons}
    for feature in CONVERTED:
        package = ROOT / "handlers" / feature
        modules = ["__init__.py", "views.py", "texts.py"]
        if feature in with_buttons:  # a feature without buttons has no button kinds to declare
            modules.append("callbacks.py")
        for module in modules:
            assert (package / module).is_file(), f"handlers/{feature}/{module}"
        services = ROOT / "bot" / "services" / feature
        assert (services / "__init__.py").is_file() or feature in WITHOUT_SERVICES, services
        assert not (ROOT / "handlers" / f"{feature}.py").exists()
