"""Where everything goes on a label, in printer dots: one layout that every format draws.

A label holds a QR code of the payload, a Code128 of the unit code with the unit code in
large type beside it, and the readable lines: case, slip and line, part, customer, received
date and quantity (and the description where there is room).

QR modules and bars are whole dots, never fewer than two: a bar one dot wide does not scan at
the printer's resolution (zbar misreads it). Where the Code128 does not fit beside the unit
code at two dots a bar, it takes the whole width, the unit code going among the text lines;
where it does not fit at all, the label has the QR only. A QR module is at most ten dots, the
largest a ZPL printer draws (^BQ magnification), so PNG, PDF and SVG show what a Zebra prints.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from barcode import Code128
from PIL import ImageFont

from labels import fonts
from labels.errors import N_, LabelError
from labels.model import DEFAULT_SIZE, LabelData, LabelSize
from labels.payload import encode
from labels.qr import Matrix, qr_matrix

QR_QUIET = 4  # modules of white around the QR (ISO 18004)
BAR_QUIET = 10  # modules of white either side of the Code128
MIN_MODULE = 2  # dots: the narrowest bar, the smallest QR module
MAX_QR_MODULE = 10  # dots: ZPL's largest ^BQ magnification
MAX_TEXT = 90  # dots: the largest type
LEGIBLE_MM = 1.6  # the smallest type
PITCH = 1.2  # line pitch per font size
MIN_CHARS = 3  # a line cut to fewer characters is left off; pieces are at least twice that

# The arrangements tried in turn, the first that fits wins:
#   beside: the Code128 in a band at the bottom, the unit code in large type beside it;
#   across: the Code128 across the whole band, the unit code among the text lines;
#   qr: no Code128, the unit code among the text lines.
Style = Literal["beside", "across", "qr"]
STYLES: tuple[Style, ...] = ("beside", "across", "qr")


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
    bars: str  # Code128 modules, "1" = bar; "" on a label with the QR only
    bars_x: int
    bars_y: int
    bar_module: int
    bar_height: int
    lines: tuple[TextLine, ...]
    cjk_font: str | None = None  # the configured font file, if any


class LabelTooSmall(LabelError, ValueError):
    """The label size can't hold the codes at a scannable size."""


def layout(
    label: LabelData,
    size: LabelSize = DEFAULT_SIZE,
    dpi: int = 203,
    *,
    url_template: str | None = None,
    cjk_font: str | None = None,
) -> Layout:
    payload = encode(label, url_template)
    matrix = qr_matrix(payload)
    bars = Code128(label.unit_code).build()[0]
    for style in STYLES:
        found = _arrange(style, label, size, dpi, payload, matrix, bars, cjk_font)
        if found is not None:
            return found
    # The QR alone fits a square label whose side holds the symbol and its quiet zone.
    needed = (len(matrix) + 2 * QR_QUIET) * MIN_MODULE
    side = max(math.ceil(needed * 25.4 / dpi), 10)
    while side > 10 and LabelSize(side - 1, side - 1).dots(dpi)[0] >= needed:
        side -= 1
    raise LabelTooSmall(
        N_("a {size} label at {dpi} dpi is too small for the QR code: use at least "
           "{side}x{side}mm"), size=size, dpi=dpi, side=side)


def _arrange(
    style: Style,
    label: LabelData,
    size: LabelSize,
    dpi: int,
    payload: str,
    matrix: Matrix,
    bars: str,
    cjk_font: str | None,
) -> Layout | None:
    """The label laid out in `style`, or None if its codes don't fit that way."""
    width, height = size.dots(dpi)
    mm = dpi / 25.4
    margin = round(max(1.5 * mm, min(width, height) * 0.03))
    wide = width >= height
    lines = readable_lines(label)
    unit_line = None

    # The band at the bottom.
    bar_height = round(min(max(height * 0.22, 5 * mm), 20 * mm))
    share = {"beside": 0.62, "across": 1.0, "qr": 0.0}[style]
    bar_module = int(width * share // (len(bars) + 2 * BAR_QUIET))
    if style == "qr":
        bars, bar_module, bar_height = "", 0, 0
        bars_x = bars_y = 0
        upper = height
    elif bar_module < MIN_MODULE:
        return None
    else:
        bars_y = height - margin - bar_height
        upper = bars_y - round(1.5 * mm)  # bottom of the area above the band
        if style == "beside":
            bars_x = BAR_QUIET * bar_module
            unit_x = bars_x + (len(bars) + BAR_QUIET) * bar_module
            unit_line = _fit_line(
                label.unit_code,
                unit_x,
                width - margin - unit_x,
                round(bar_height * 0.75),
                True,
                cjk_font,
            )
            if unit_line.text != label.unit_code or unit_line.size < LEGIBLE_MM * mm:
                return None  # no room beside the bars for the whole unit code
            # Centred on the bars: the baseline sits about 0.35 em below the middle.
            baseline = bars_y + (bar_height + unit_line.size * 7 // 10) // 2
            unit_line = replace(unit_line, baseline=baseline)
        else:
            bars_x = (width - len(bars) * bar_module) // 2
    if unit_line is None:
        lines.insert(0, (label.unit_code, True, False))

    # QR in the top left corner, its quiet zone reaching to the label's edge; it leaves room
    # for the text unless it is all the label has room for.
    modules = len(matrix) + 2 * QR_QUIET
    side = min(upper, width * 0.55) if wide else min(width, upper * 0.45)
    if style == "qr" and side // modules < MIN_MODULE:
        side = min(width, upper)
    qr_module = min(int(side // modules), MAX_QR_MODULE)
    if qr_module < MIN_MODULE:
        return None
    qr_box = modules * qr_module
    qr_x = qr_y = QR_QUIET * qr_module

    # Text beside the QR on a wide label, under it on a tall one.
    text_bottom = upper if bars else height - margin
    if wide:
        box = (qr_box, margin, width - margin, text_bottom)
    else:
        box = (margin, qr_box, width - margin, text_bottom)
    text = _text_block(lines, box, dpi, cjk_font)
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
        lines=(*text, unit_line) if unit_line else tuple(text),
        cjk_font=cjk_font,
    )


def readable_lines(label: LabelData) -> list[tuple[str, bool, bool]]:
    """The text lines, most important first: (text, bold, may be cut short)."""
    lines = [
        (label.captions.case.format(case_no=label.case_no), True, False),
        (label.captions.slip.format(slip_no=label.slip_no, line_no=label.line_no), False, False),
        (label.captions.part.format(part_no=label.part_no), False, False),
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
    """Lines of one size filling `box`. The size is what lets the lines that must not be cut
    (and one more) fit in height and fit in width, but not below a legible minimum. A line
    that may be cut (a customer's name, the description) wraps onto the rows left over, the
    rows the lines after it need kept for them; lines past the box's height are left off
    from the end (the description is last)."""
    left, top, right, bottom = box
    width = right - left
    whole = [(text, bold) for text, bold, may_cut in lines if not may_cut]
    by_height = (bottom - top) / ((len(whole) + 1) * PITCH)
    widest = max(
        line_font(100, bold, fonts.needs_cjk(text), cjk_font).getlength(text) / 100
        for text, bold in whole
    )
    by_width = width / widest
    size = int(max(min(by_height, by_width * 0.98, MAX_TEXT), LEGIBLE_MM * dpi / 25.4))
    pitch = round(size * PITCH)
    rows = max(0, (bottom - top) // pitch)
    placed: list[TextLine] = []
    for index, (text, bold, may_cut) in enumerate(lines):
        free = rows - len(placed)
        if free <= 0:
            break
        if not may_cut:
            line = _fit_line(text, left, width, size, bold, cjk_font)
            if line.text == text:  # a number cut short would be a wrong one: left off
                placed.append(line)
            continue
        needed_after = sum(1 for _, _, cut in lines[index + 1 :] if not cut)
        placed += _wrap(text, left, width, size, bold, cjk_font, max(1, free - needed_after))
    result = []
    for row, line in enumerate(placed):
        # A line cut to a stub ("U…") says nothing: left off.
        stub = line.text.endswith("…") and len(line.text) <= MIN_CHARS
        if line.text and not stub:
            result.append(replace(line, baseline=top + row * pitch + round(size * 0.92)))
    return result


def _wrap(
    text: str, x: int, max_width: int, size: int, bold: bool, cjk_font: str | None, rows: int
) -> list[TextLine]:
    """`text` over at most `rows` lines of `max_width`, broken at a space where there is one
    (Chinese breaks between any two characters); the last line cut with "…" if need be."""
    line = _fit_line(text, x, max_width, size, bold, cjk_font)
    if rows <= 1 or line.text == text or line.size != size or len(line.text) < 2 * MIN_CHARS:
        return [line]  # one line, or a box too narrow for pieces worth reading
    text = text if line.cjk or not fonts.needs_cjk(text) else fonts.without_cjk(text)
    measure = line_font(size, bold, line.cjk, cjk_font).getlength
    result: list[TextLine] = []
    rest = text
    while len(result) < rows - 1 and measure(rest) > max_width:
        fits = _longest_prefix(rest, max_width, measure)
        if fits == 0:
            break
        space = rest.rfind(" ", 0, fits + 1)
        if space > fits // 3:
            fits = space
        result.append(replace(line, text=rest[:fits].rstrip()))
        rest = rest[fits:].lstrip()
    result.append(_fit_line(rest, x, max_width, size, bold, cjk_font))
    return result


def _longest_prefix(text: str, max_width: int, measure: Callable[[str], float]) -> int:
    """How many characters of `text` fit in `max_width`."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle]) <= max_width:
            low = middle
        else:
            high = middle - 1
    return low


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
