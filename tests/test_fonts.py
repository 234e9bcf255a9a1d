import warnings
from pathlib import Path

from bot.fonts import cjk_font_path, use_cjk_font_in_matplotlib


def test_cjk_font_renders_chinese_without_missing_glyphs(tmp_path) -> None:
    family = use_cjk_font_in_matplotlib()
    from matplotlib import font_manager, pyplot
    from matplotlib.ft2font import FT2Font

    assert cjk_font_path().is_file()
    font = FT2Font(font_manager.findfont(family))
    for char in "投诉分类统计市容环境":
        assert font.get_char_index(ord(char)) != 0, f"no glyph for {char}"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font" otherwise
        figure, axes = pyplot.subplots()
        axes.set_title("投诉分类统计")
        figure.savefig(tmp_path / "chart.png")
        pyplot.close(figure)
    assert (tmp_path / "chart.png").stat().st_size > 1000


def test_the_system_noto_cjk_font_is_preferred_when_installed(tmp_path: Path) -> None:
    import shutil

    from bot.fonts import SYSTEM_FONTS, find_cjk_font

    packaged = find_cjk_font(system_fonts=())
    assert packaged.is_file() and packaged not in SYSTEM_FONTS  # the fallback ships with the bot
    installed = tmp_path / "NotoSansCJK-Regular.ttc"
    shutil.copy(packaged, installed)  # as Debian's fonts-noto-cjk would have put it
    assert find_cjk_font(system_fonts=(tmp_path / "missing.ttc", installed)) == installed
