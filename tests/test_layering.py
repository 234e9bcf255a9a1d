"""Wording lives in texts catalogues and data/: services import none, and no Chinese literal lives
elsewhere in bot/ or handlers/. Features have their shape and modules stay readable in size.

AST checks over every module, so a new module is held to them the day it is written.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOT, HANDLERS, SERVICES = ROOT / "bot", ROOT / "handlers", ROOT / "bot" / "services"
# Features without a services package of their own: their rules are the core services
# (common: bot/services/users.py and personal_data.py, shared by every feature; outbox: bot/outbox/).
WITHOUT_SERVICES = {"common", "outbox"}
TEXTS_MODULE = "texts"  # handlers/<feature>/texts.py and bot/texts.py
# Modules that may hold Chinese literals outside a texts module, each with the reason (none today).
WORDING_EXCEPTIONS: dict[str, str] = {}
MODULE_LINES = 600  # any module of bot/ or handlers/ (texts catalogues aside)
HANDLER_MODULE_LINES = 400  # a handler module: one conversation, card or set of views
# Ideographs (and extension A), CJK punctuation, and full-width forms such as "，" "：" "（".
CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def python_files(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*.py"))


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def code_modules() -> list[Path]:
    """Every module of bot/ and handlers/ but the texts catalogues."""
    return [path for path in python_files(BOT, HANDLERS) if path.stem != TEXTS_MODULE]


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


def test_no_service_imports_wording_or_telegram() -> None:
    offenders = {relative(path): wording_imports(path) for path in python_files(SERVICES)}
    assert {path: names for path, names in offenders.items() if names} == {}


def test_no_chinese_literal_outside_texts_modules_and_data() -> None:
    offenders = {
        relative(path): chinese_literals(path.read_text(encoding="utf-8"))
        for path in code_modules()
        if relative(path) not in WORDING_EXCEPTIONS
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_wording_exceptions_are_still_needed() -> None:
    for name in WORDING_EXCEPTIONS:
        assert chinese_literals((ROOT / name).read_text(encoding="utf-8")), f"{name} needs no exception"


def test_modules_stay_readable_in_size() -> None:
    sizes = {relative(path): len(path.read_text(encoding="utf-8").splitlines()) for path in code_modules()}
    too_long = {path: n for path, n in sizes.items() if n > MODULE_LINES}
    assert too_long == {}
    handler_modules = {path: n for path, n in sizes.items() if path.startswith("handlers/")}
    assert {path: n for path, n in handler_modules.items() if n > HANDLER_MODULE_LINES} == {}


def test_every_feature_has_the_shape() -> None:
    import handlers

    for feature in handlers.FEATURES:
        package = HANDLERS / feature.name
        modules = ["__init__.py", "views.py", "texts.py"]
        if feature.buttons:  # a feature without buttons has no button kinds to declare
            modules.append("callbacks.py")
        for module in modules:
            assert (package / module).is_file(), f"handlers/{feature.name}/{module}"
        services = SERVICES / feature.name
        assert (services / "__init__.py").is_file() or feature.name in WITHOUT_SERVICES, services
        assert not (HANDLERS / f"{feature.name}.py").exists()
