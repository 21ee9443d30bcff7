"""Label rendering: PNG, SVG, PDF and ZPL, each drawing the one layout (labels.layout).

Images are only ever scaled by whole factors with nearest-neighbour, so nothing is
blurred at the printer's resolution.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from PIL import Image, ImageDraw

from labels.layout import (
    BAR_QUIET,
    QR_QUIET,
    Layout,
    LabelTooSmall,
    TextLine,
    layout,
    line_font,
    readable_lines,
)
from labels.errors import N_, LabelError
from labels.model import DEFAULT_SIZE, LabelData, LabelSize
from labels.qr import Matrix


class BadFormat(LabelError, ValueError):
    """A label format that is not png, svg or zpl."""


__all__ = [
    "BAR_QUIET",
    "QR_QUIET",
    "LabelTooSmall",
    "Layout",
    "iter_render",
    "layout",
    "readable_lines",
    "render_image",
    "render_pdf",
    "render_png",
    "render_sheet_pdf",
    "render_svg",
    "render_zpl",
]

A4_MM = (210.0, 297.0)


# --- PNG ------------------------------------------------------------------------


def render_image(
    label: LabelData,
    size: LabelSize = DEFAULT_SIZE,
    dpi: int = 203,
    *,
    url_template: str | None = None,
    cjk_font: str | None = None,
) -> Image.Image:
    """The label as a black-and-white image at the printer's resolution."""
    return draw_layout(layout(label, size, dpi, url_template=url_template, cjk_font=cjk_font))


def draw_layout(lay: Layout) -> Image.Image:
    image = Image.new("1", (lay.width, lay.height), 255)
    n = len(lay.qr)
    # One pixel per module, then scaled by a whole factor: exact and fast.
    qr = Image.frombytes("1", (n, n), _pack_bits(lay.qr))
    image.paste(qr.resize((n * lay.qr_module,) * 2, Image.Resampling.NEAREST), (lay.qr_x, lay.qr_y))
    if lay.bars:
        bars = Image.frombytes("1", (len(lay.bars), 1), _pack_bits([[b == "1" for b in lay.bars]]))
        size = (len(lay.bars) * lay.bar_module, lay.bar_height)
        image.paste(bars.resize(size, Image.Resampling.NEAREST), (lay.bars_x, lay.bars_y))
    draw = ImageDraw.Draw(image)
    for line in lay.lines:
        font = line_font(line.size, line.bold, line.cjk, lay.cjk_font)
        draw.text((line.x, line.baseline), line.text, font=font, fill=0, anchor="ls")
    return image


def _pack_bits(rows: Matrix) -> bytes:
    """Rows of dark modules as a mode "1" bitmap (0 = black), 8 pixels per byte."""
    out = bytearray()
    for row in rows:
        bits = "".join("0" if dark else "1" for dark in row)
        bits += "1" * (-len(bits) % 8)
        out += int(bits, 2).to_bytes(len(bits) // 8, "big")
    return bytes(out)


def render_png(
    label: LabelData,
    size: LabelSize = DEFAULT_SIZE,
    dpi: int = 203,
    *,
    url_template: str | None = None,
    cjk_font: str | None = None,
) -> bytes:
    image = render_image(label, size, dpi, url_template=url_template, cjk_font=cjk_font)
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------


def render_pdf(
    labels: Iterable[LabelData],
    size: LabelSize = DEFAULT_SIZE,
    dpi: int = 300,
    *,
    url_template: str | None = None,
    cjk_font: str | None = None,
) -> bytes:
    """One label per page, each page the label's size.

    The pages are images at `dpi` (use the printer's): exact dots for the
    codes, and Chinese text needs no font on the printer. `labels` is read
    lazily, so a generator can drive a progress bar.
    """
    pages = (
        render_image(label, size, dpi, url_template=url_template, cjk_font=cjk_font)
        for label in labels
    )
    return _pdf(pages, dpi)


def render_sheet_pdf(
    labels: Iterable[LabelData],
    size: LabelSize = DEFAULT_SIZE,
    dpi: int = 300,
    *,
    page_mm: tuple[float, float] = A4_MM,
    margin_mm: float = 10,
    gap_mm: float = 2,
    url_template: str | None = None,
    cjk_font: str | None = None,
) -> bytes:
    """Labels in a grid on A4 pages (or `page_mm`), for an office printer."""
    columns = int((page_mm[0] - 2 * margin_mm + gap_mm) // (size.width_mm + gap_mm))
    rows = int((page_mm[1] - 2 * margin_mm + gap_mm) // (size.height_mm + gap_mm))
    if columns < 1 or rows < 1:
        raise LabelTooSmall(
            N_("a {size} label does not fit on a {width:g}x{height:g} mm page with {margin:g} mm"
               " margins"), size=str(size), width=page_mm[0], height=page_mm[1], margin=margin_mm)

    def dots(value_mm: float) -> int:
        return round(value_mm * dpi / 25.4)

    def pages() -> Iterator[Image.Image]:
        page, slot = None, 0
        for label in labels:
            if page is None:
                page, slot = Image.new("1", (dots(page_mm[0]), dots(page_mm[1])), 255), 0
            row, column = divmod(slot, columns)
            x = dots(margin_mm + column * (size.width_mm + gap_mm))
            y = dots(margin_mm + row * (size.height_mm + gap_mm))
            page.paste(
                render_image(label, size, dpi, url_template=url_template, cjk_font=cjk_font),
                (x, y),
            )
            slot += 1
            if slot == columns * rows:
                yield page
                page = None
        if page is not None:
            yield page

    return _pdf(pages(), dpi)


def _pdf(pages: Iterator[Image.Image], dpi: int) -> bytes:
    first = next(pages, None)
    if first is None:
        raise ValueError("no labels to put in the PDF")
    out = io.BytesIO()
    first.save(out, "PDF", resolution=dpi, save_all=True, append_images=pages)
    return out.getvalue()


# --- SVG ------------------------------------------------------------------------

SVG_FONTS = "DejaVu Sans, Noto Sans CJK TC, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"


def render_svg(
    label: LabelData,
    size: LabelSize = DEFAULT_SIZE,
    dpi: int = 300,
    *,
    url_template: str | None = None,
    cjk_font: str | None = None,
) -> str:
    """The label as SVG; user units are dots at `dpi`, the page is the label's size."""
    lay = layout(label, size, dpi, url_template=url_template, cjk_font=cjk_font)
    qr_path = _runs_path(lay.qr, lay.qr_x, lay.qr_y, lay.qr_module, lay.qr_module)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size.width_mm:g}mm"'
        f' height="{size.height_mm:g}mm" viewBox="0 0 {lay.width} {lay.height}">',
        f'<rect width="{lay.width}" height="{lay.height}" fill="#fff"/>',
        f'<path id="qr" d="{qr_path}" fill="#000" shape-rendering="crispEdges"/>',
    ]
    if lay.bars:
        bar_path = _runs_path(
            [[b == "1" for b in lay.bars]], lay.bars_x, lay.bars_y, lay.bar_module, lay.bar_height
        )
        parts.append(f'<path id="code128" d="{bar_path}" fill="#000" shape-rendering="crispEdges"/>')
    for line in lay.lines:
        weight = ' font-weight="bold"' if line.bold else ""
        # Runs of spaces are kept as on the other formats ("C0012  name"): SVG 1.1 readers
        # honour xml:space, SVG 2 ones white-space.
        parts.append(
            f'<text x="{line.x}" y="{line.baseline}" font-size="{line.size}"'
            f" font-family={quoteattr(SVG_FONTS)}{weight}"
            f' xml:space="preserve" style="white-space:pre">{escape(line.text)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _runs_path(rows: Matrix, x0: int, y0: int, module: int, row_height: int) -> str:
    """A path of one rectangle per horizontal run of dark modules."""
    out = []
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                out.append(
                    f"M{x0 + start * module},{y0 + r * row_height}"
                    f"h{(c - start) * module}v{row_height}h-{(c - start) * module}z"
                )
            else:
                c += 1
    return "".join(out)


# --- ZPL ------------------------------------------------------------------------


def render_zpl(
    label: LabelData,
    size: LabelSize = DEFAULT_SIZE,
    dpi: int = 203,
    *,
    url_template: str | None = None,
    cjk_font: str | None = None,
    printer_font: str | None = None,
) -> str:
    """ZPL II for a Zebra (or compatible) printer set to `dpi`.

    The printer draws the QR (^BQ) and Code128 (^BC) itself and the Latin text
    in its built-in font. Chinese lines are sent as bitmaps (^GF), since few
    printers have a CJK font, unless `printer_font` names one on the printer
    (e.g. "E:SIMSUN.TTF"), which is then used through ^A@ with ^CI28 (UTF-8).
    """
    lay = layout(label, size, dpi, url_template=url_template, cjk_font=cjk_font)
    out = [
        "^XA",
        "^CI28",
        f"^PW{lay.width}",
        f"^LL{lay.height}",
        "^LH0,0",
        # ^BQ's field data: error correction M, automatic mode, then the text. The layout's
        # module is never above 10, the largest magnification.
        f"^FO{lay.qr_x},{lay.qr_y}^BQN,2,{lay.qr_module}^FH^FDMA,{_zpl_text(lay.payload)}^FS",
    ]
    if lay.bars:
        out.append(
            f"^FO{lay.bars_x},{lay.bars_y}^BY{lay.bar_module}"
            f"^BCN,{lay.bar_height},N,N,N,A^FD{label.unit_code}^FS"
        )
    for line in lay.lines:
        if line.cjk and not printer_font:
            out.append(_zpl_bitmap(line, lay.cjk_font))
        elif line.cjk:
            out.append(
                f"^FT{line.x},{line.baseline}^A@N,{line.size},{line.size},{printer_font}"
                f"^FH^FD{_zpl_text(line.text)}^FS"
            )
        else:
            # The printer's built-in font may lack "…".
            text = _zpl_text(line.text.replace("…", "..."))
            out.append(f"^FT{line.x},{line.baseline}^A0N,{line.size},0^FH^FD{text}^FS")
    out.append("^PQ1")
    out.append("^XZ")
    return "\n".join(out) + "\n"


def _zpl_text(text: str) -> str:
    """Field data with ZPL's command characters hex-escaped (for ^FH)."""
    return "".join(f"_{ord(c):02X}" if c in "^~_" else c for c in text)


def _zpl_bitmap(line: TextLine, cjk_font: str | None) -> str:
    font = line_font(line.size, line.bold, True, cjk_font)
    # Whole dots (a TrueType font in basic layout measures in them already).
    left, top, right, bottom = (int(edge) for edge in font.getbbox(line.text, anchor="ls"))
    image = Image.new("1", (max(1, right - left), max(1, bottom - top)), 255)
    ImageDraw.Draw(image).text((-left, -top), line.text, font=font, fill=0, anchor="ls")
    row_bytes = (image.width + 7) // 8
    # ^GF wants 1 = black; mode "1" has 1 = white.
    data = bytearray(b ^ 0xFF for b in image.tobytes())
    # Pad bits past the width were white (1) and are now black; clear them.
    pad = row_bytes * 8 - image.width
    if pad:
        for r in range(image.height):
            data[r * row_bytes + row_bytes - 1] &= (0xFF << pad) & 0xFF
    total = len(data)
    return (
        f"^FO{line.x + left},{line.baseline + top}"
        f"^GFA,{total},{total},{row_bytes},{bytes(data).hex().upper()}^FS"
    )


# --- batches --------------------------------------------------------------------

RENDERERS: dict[str, Callable[..., bytes | str]] = {
    "png": render_png,
    "svg": render_svg,
    "zpl": render_zpl,
}


def iter_render(labels: Iterable[LabelData], fmt: str = "png", **options: Any) -> Iterator[bytes]:
    """Render labels one at a time (PNG, SVG or ZPL), for a progress bar."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise BadFormat(N_("unknown label format {format!r}: use png, svg or zpl"),
                        format=fmt) from None
    for label in labels:
        result = renderer(label, **options)
        yield result.encode() if isinstance(result, str) else result
