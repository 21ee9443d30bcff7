"""Fonts for label text: a Latin one, and one with Chinese characters.

Customer names and descriptions may be Chinese. Such a font is found on the
system (fontconfig, then the usual install paths) or given by the site's
settings. Without one the label still prints, without the Chinese text, and
`FontNotFound` says what to install.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from labels.errors import N_, LabelError

INSTALL_HINT = (
    "install a CJK font (Debian/Ubuntu: apt install fonts-noto-cjk"
    " or fonts-wqy-microhei), or name a font file in the desk's label_font setting"
)
# What a label loses without such a font, said before why.
WITHOUT_CJK = "labels print without their Chinese text (a customer's name, a description): "

# Where the common CJK fonts live, in order of preference.
CJK_FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "C:/Windows/Fonts/msjh.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)

LATIN_FONTS = {
    False: ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans.ttf"),
    True: ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
}
# Neither Latin nor Chinese needs complex shaping, and the basic layout is
# several times faster than Raqm.
BASIC = ImageFont.Layout.BASIC


class FontNotFound(LabelError, UserWarning):
    """No usable font for Chinese text; the message says what to install or set.

    Raised by `find_cjk_font`; issued as a warning when a label is rendered
    without the Chinese text.
    """


def find_cjk_font(configured: str | Path | None = None) -> Path:
    """The font file to use for Chinese text, or raise FontNotFound.

    The desk can call this at start and when settings change, to tell the
    admin before the first label comes out without its Chinese text.
    """
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise FontNotFound(
                N_("label font {path!r} does not exist: fix the desk's label_font"
                   " setting, or clear it to use a font found on the system"), path=str(path))
        return path
    found = _system_cjk_font()
    if found is None:
        raise FontNotFound(N_(
            "no font with Chinese characters found: install a CJK font (Debian/Ubuntu: apt"
            " install fonts-noto-cjk or fonts-wqy-microhei), or name a font file in the desk's"
            " label_font setting"))
    return found


@lru_cache(maxsize=1)
def _system_cjk_font() -> Path | None:
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(
                ["fc-list", ":lang=zh", "file"],
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        files = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
        # Prefer the well-known ones, in the order above, then anything fontconfig has.
        for known in CJK_FONT_PATHS:
            if known in files:
                return Path(known)
        if files:
            return Path(files[0])
    for known in CJK_FONT_PATHS:
        if Path(known).is_file():
            return Path(known)
    return None


@lru_cache(maxsize=64)
def latin_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in LATIN_FONTS[bold]:
        try:
            return ImageFont.truetype(name, size, layout_engine=BASIC)
        except OSError:
            continue
    # Pillow's own; needs no system font (a bitmap font only where Pillow has no FreeType)
    return ImageFont.load_default(size)


@lru_cache(maxsize=64)
def cjk_font(size: int, configured: str | None = None) -> ImageFont.FreeTypeFont | None:
    """The CJK font at `size`, or None (after warning once) if there is none."""
    try:
        return ImageFont.truetype(str(find_cjk_font(configured)), size, layout_engine=BASIC)
    except FontNotFound as problem:
        _warn_once(WITHOUT_CJK + str(problem))
    except OSError as problem:
        _warn_once(f"{WITHOUT_CJK}label font {configured!r} can't be read ({problem}):"
                   f" {INSTALL_HINT}")
    return None


@lru_cache(maxsize=8)
def _warn_once(message: str) -> None:
    warnings.warn(FontNotFound(message), stacklevel=4)


def needs_cjk(text: str) -> bool:
    """True if `text` has characters beyond what the Latin font covers."""
    return any(ord(c) > 0x24F and not 0x2000 <= ord(c) <= 0x206F for c in text)


def without_cjk(text: str) -> str:
    """`text` with the characters only a CJK font can draw left out."""
    return " ".join("".join(c for c in text if not needs_cjk(c)).split())
