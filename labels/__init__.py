"""Returns Desk labels: payload codec, rendering, preview and printing.

Needs no database and never imports the UI: hand it a `LabelData`.
"""

from labels.errors import LabelError, translate_with
from labels.fonts import FontNotFound, find_cjk_font
from labels.model import (
    DEFAULT_SIZE,
    SIZE_2X1IN,
    SIZE_4X6IN,
    SIZE_50X25MM,
    LabelCaptions,
    LabelData,
    LabelRef,
    LabelSize,
    parse_size,
)
from labels.payload import (
    DamagedLabel,
    NewerLabel,
    NotALabel,
    PayloadError,
    check_url_template,
    decode,
    encode,
    looks_like_label,
)
from labels.preview import preview_lines
from labels.printers import PrintError, default_dpi, format_for, parse_printer, print_labels
from labels.render import (
    LabelTooSmall,
    iter_render,
    render_image,
    render_pdf,
    render_png,
    render_sheet_pdf,
    render_svg,
    render_zpl,
)

__all__ = [
    "DEFAULT_SIZE",
    "SIZE_2X1IN",
    "SIZE_4X6IN",
    "SIZE_50X25MM",
    "DamagedLabel",
    "FontNotFound",
    "LabelCaptions",
    "LabelData",
    "LabelError",
    "LabelRef",
    "LabelSize",
    "LabelTooSmall",
    "NewerLabel",
    "NotALabel",
    "PayloadError",
    "PrintError",
    "check_url_template",
    "decode",
    "default_dpi",
    "encode",
    "find_cjk_font",
    "format_for",
    "iter_render",
    "looks_like_label",
    "parse_printer",
    "parse_size",
    "preview_lines",
    "print_labels",
    "render_image",
    "render_pdf",
    "render_png",
    "render_sheet_pdf",
    "render_svg",
    "render_zpl",
    "translate_with",
]
