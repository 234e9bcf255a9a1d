"""A CJK font for charts and certificates: the system's Noto Sans CJK when installed, else a packaged one.

Matplotlib's default fonts have no Chinese glyphs (labels would render as empty boxes). On Debian the
``fonts-noto-cjk`` package installs Noto Sans CJK (static weights, hinted for screens); a machine
without it still gets the same family from ``manimgx-fonts-cjk`` (a PyPI package shipping Noto Sans
CJK, SIL OFL), so no system fonts are needed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

CJK_FAMILY = "Noto Sans CJK SC"
# Where Debian's fonts-noto-cjk (and fonts-noto-cjk-extra) put Noto Sans CJK.
SYSTEM_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
)


def find_cjk_font(system_fonts: tuple[Path, ...] = SYSTEM_FONTS) -> Path:
    """The first installed system font of ``system_fonts``, else the packaged one."""
    for path in system_fonts:
        if path.is_file():
            return path
    import manimgx_fonts_cjk

    packaged = Path(manimgx_fonts_cjk.__file__).parent / "NotoSansCJK-VF.otf.ttc"
    if not packaged.is_file():
        raise FileNotFoundError(f"CJK font missing: {packaged}")
    return packaged


@cache
def cjk_font_path() -> Path:
    return find_cjk_font()


@cache
def use_cjk_font_in_matplotlib() -> str:
    """Register the font with matplotlib (once) and make it the default family; returns the family."""
    import logging

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, pyplot

    font_manager.fontManager.addfont(str(cjk_font_path()))
    # The variable font has no 'normal' named instance; matplotlib says so on every lookup.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    pyplot.rcParams["font.family"] = CJK_FAMILY
    pyplot.rcParams["axes.unicode_minus"] = False
    return CJK_FAMILY
