"""The one place that finds a font able to draw Chinese, for every chart gongkai draws.

fontconfig lists the installed fonts that cover Chinese (``fc-list :lang=zh``); the
preferred family (simplified-Chinese sans-serif faces first) is registered with
matplotlib in every weight installed. Without such a font (or without fontconfig) charts
fall back to label ids, never to empty boxes.
"""

from __future__ import annotations

import subprocess
from functools import cache


def parse_fc_list(listing: str) -> list[tuple[str, list[str]]]:
    """``fc-list : file family`` output as (font file, family names) pairs."""
    fonts = []
    for line in listing.splitlines():
        path, _, families = line.partition(":")
        if path.strip() and families.strip():
            fonts.append((path.strip(), [f.strip() for f in families.split(",") if f.strip()]))
    return fonts


def preference(fonts: list[tuple[str, list[str]]]) -> list[str]:
    """Family names, simplified-Chinese sans-serif faces first."""
    families = dict.fromkeys(family for _, names in fonts for family in names)
    return sorted(families, key=lambda family: ("SC" not in family.split(),
                                                "Sans" not in family, "Mono" in family))


@cache
def chinese_font() -> str | None:
    """The family name of an installed font that draws Chinese, registered with
    matplotlib; ``None`` without one."""
    from matplotlib import font_manager

    try:
        listing = subprocess.run(["fc-list", ":lang=zh", "file", "family"], capture_output=True,
                                 text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    fonts = parse_fc_list(listing)
    for family in preference(fonts):
        for path in sorted({path for path, names in fonts if family in names}):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
        if family in {font.name for font in font_manager.fontManager.ttflist}:
            return family
    return None


def use_chinese_font() -> str | None:
    """Make matplotlib draw Chinese with :func:`chinese_font`; returns the family or None
    (then plots label with ids)."""
    import matplotlib

    font = chinese_font()
    if font is not None:
        matplotlib.rcParams["font.sans-serif"] = [font, *matplotlib.rcParams["font.sans-serif"]]
        matplotlib.rcParams["font.family"] = "sans-serif"
        matplotlib.rcParams["axes.unicode_minus"] = False
    return font
