"""Where everything goes on a label, in printer dots: one layout that every format draws.

A label holds a QR code of the payload, a Code128 of the unit code with the unit code in
large type beside it, and the readable lines: case, slip and line, part, customer, received
date and quantity (and the description where there is room). QR modules and bars are whole
dots.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from barcode import Code128
from PIL import ImageFont

from labels import fonts
from labels.model import DEFAULT_SIZE, LabelData, LabelSize
from labels.payload import encode
from labels.qr import Matrix, qr_matrix

QR_QUIET = 4  # modules of white around the QR (ISO 18004)
BAR_QUIET = 10  # modules of white either side of the Code128


@dataclass(frozen=True)
class TextLine:
    text: str
    x: int
    baseline: int
    size: int  # font size (em) in dots
    bold: bool = False
    cjk: bool = False  # drawn with the CJK font


@dataclass(frozen=True)
class Layout:
    """Where everything goes on one label, in dots at `dpi`."""

    width: int
    height: int
    dpi: int
    payload: str
    qr: Matrix
    qr_x: int
    qr_y: int
    qr_module: int
    bars: str  # Code128 modules, "1" = bar
    bars_x: int
    bars_y: int
    bar_module: int
    bar_height: int
    lines: tuple[TextLine, ...]
    cjk_font: str | None = None  # the configured font file, if any


class LabelTooSmall(ValueError):
    """The label size can't hold the codes at a scannable size."""


def layout(
    label: LabelData,
    size: LabelSize = DEFAULT_SIZE,
    dpi: int = 203,
    *,
    url_template: str | None = None,
    cjk_font: str | None = None,
) -> Layout:
    width, height = size.dots(dpi)
    mm = dpi / 25.4
    payload = encode(label, url_template)
    matrix = qr_matrix(payload)
    bars = Code128(label.unit_code).build()[0]
    margin = round(max(1.5 * mm, min(width, height) * 0.03))

    # Bottom band: the Code128 from the left edge, the unit code in large type after it.
    bar_height = round(min(max(height * 0.22, 5 * mm), 20 * mm))
    bar_module = int(width * 0.62 // (len(bars) + 2 * BAR_QUIET))
    if bar_module < 1:
        raise LabelTooSmall(f"a {size} label is too narrow for the unit barcode")
    bars_x = BAR_QUIET * bar_module
    bars_y = height - margin - bar_height
    unit_x = bars_x + (len(bars) + BAR_QUIET) * bar_module
    unit_line = _fit_line(
        label.unit_code, unit_x, width - margin - unit_x, round(bar_height * 0.75), True, cjk_font
    )
    # Centred on the bars: the baseline sits about 0.35 em below the middle.
    unit_line = replace(unit_line, baseline=bars_y + (bar_height + unit_line.size * 7 // 10) // 2)
    upper = bars_y - round(1.5 * mm)  # bottom of the area above the band

    # QR in the top left corner, its quiet zone reaching to the label's edge.
    side = upper if width >= height else min(width * 0.6, upper * 0.45)
    qr_module = int(side // (len(matrix) + 2 * QR_QUIET))
    if qr_module < 2:
        raise LabelTooSmall(f"a {size} label at {dpi} dpi is too small for the QR code")
    qr_box = (len(matrix) + 2 * QR_QUIET) * qr_module
    qr_x = qr_y = QR_QUIET * qr_module

    # Text beside the QR on a wide label, under it on a tall one.
    if width >= height:
        box = (qr_box, margin, width - margin, upper)
    else:
        box = (margin, qr_box, width - margin, upper)
    lines = _text_block(readable_lines(label), box, dpi, cjk_font)
    return Layout(
        width=width,
        height=height,
        dpi=dpi,
        payload=payload,
        qr=matrix,
        qr_x=qr_x,
        qr_y=qr_y,
        qr_module=qr_module,
        bars=bars,
        bars_x=bars_x,
        bars_y=bars_y,
        bar_module=bar_module,
        bar_height=bar_height,
        lines=(*lines, unit_line),
        cjk_font=cjk_font,
    )


def readable_lines(label: LabelData) -> list[tuple[str, bool, bool]]:
    """The text lines, most important first: (text, bold, may be cut short)."""
    lines = [
        (f"Case {label.case_no}", True, False),
        (f"Slip {label.slip_no} #{label.line_no}", False, False),
        (f"Part {label.part_no}", False, False),
        (f"{label.customer_code}  {label.customer_name}".strip(), False, True),
        (f"{label.received_on.isoformat()}   {label.quantity_text}", True, False),
    ]
    if label.description:
        lines.append((label.description, False, True))
    return lines


def _text_block(
    lines: list[tuple[str, bool, bool]],
    box: tuple[int, int, int, int],
    dpi: int,
    cjk_font: str | None,
) -> list[TextLine]:
    """Lines of one size filling `box`. The size is what lets five lines fit in
    height and the lines that must not be cut fit in width, but not below a
    legible minimum; lines past the box's height are left off from the end
    (the description is last)."""
    left, top, right, bottom = box
    pitch_per_size = 1.2
    by_height = (bottom - top) / (5 * pitch_per_size)
    widest = max(
        line_font(100, bold, fonts.needs_cjk(text), cjk_font).getlength(text) / 100
        for text, bold, may_cut in lines
        if not may_cut
    )
    by_width = (right - left) / widest
    size = int(max(min(by_height, by_width * 0.98, 90), 1.6 * dpi / 25.4))
    pitch = round(size * pitch_per_size)
    result = []
    for index, (text, bold, _) in enumerate(lines[: (bottom - top) // pitch]):
        line = _fit_line(text, left, right - left, size, bold, cjk_font)
        if line.text:
            baseline = top + index * pitch + round(size * 0.92)
            result.append(TextLine(line.text, left, baseline, size, bold, line.cjk))
    return result


def _fit_line(
    text: str, x: int, max_width: int, size: int, bold: bool, cjk_font: str | None
) -> TextLine:
    """`text` at `size` (smaller for a short text that overflows), cut with "…" if
    still too wide; Chinese is left out when no CJK font is available."""
    cjk = fonts.needs_cjk(text)
    if cjk and fonts.cjk_font(size, cjk_font) is None:
        text, cjk = fonts.without_cjk(text), False
    font = line_font(size, bold, cjk, cjk_font)
    width = font.getlength(text)
    if width > max_width and len(text) <= 12:
        # Short codes (the unit code) shrink rather than lose characters.
        size = max(8, int(size * max_width / width))
        font = line_font(size, bold, cjk, cjk_font)
        width = font.getlength(text)
    if width > max_width:
        # Start from a proportional guess, then drop characters until it fits.
        text = text[: int(len(text) * max_width / width) + 1]
        while text and font.getlength(text + "…") > max_width:
            text = text[:-1].rstrip()
        text = text + "…" if text else ""
    return TextLine(text, x, 0, size, bold, cjk)


def line_font(
    size: int, bold: bool, cjk: bool, cjk_font: str | None
) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if cjk:
        font = fonts.cjk_font(size, cjk_font)
        if font is not None:
            return font
    return fonts.latin_font(size, bold)
