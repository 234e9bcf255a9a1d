"""A CJK font for charts and certificates, shipped as a PyPI package (no system fonts needed).

Matplotlib's default fonts have no Chinese glyphs (labels would render as empty boxes), and a new
user's machine may have no CJK font installed. ``manimgx-fonts-cjk`` ships Noto Sans CJK (SIL OFL).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

CJK_FAMILY = "Noto Sans CJK SC"


@cache
def cjk_font_path() -> Path:
    import manimgx_fonts_cjk

    path = Path(manimgx_fonts_cjk.__file__).parent / "NotoSansCJK-VF.otf.ttc"
    if not path.is_file():
        raise FileNotFoundError(f"CJK font missing: {path}")
    return path


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
