"""A label drawn with text characters, for the desk's screen."""

from __future__ import annotations

from labels.model import LabelData
from labels.payload import encode
from labels.qr import qr_matrix
from labels.layout import readable_lines

# Two modules per character cell, (upper dark, lower dark) -> character.
HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def preview_lines(
    label: LabelData,
    url_template: str | None = None,
    *,
    invert: bool = False,
    quiet: int = 2,
) -> list[str]:
    """The label's QR in half blocks (two module rows per line), then its text.

    Blocks are dark modules, which suits a light terminal; on a dark one pass
    `invert=True` so the code still scans from the screen. `quiet` is the
    white margin in modules (printed labels have 4).
    """
    matrix = qr_matrix(encode(label, url_template))
    size = len(matrix) + 2 * quiet
    blank = [False] * size
    rows = [blank] * quiet + [[False] * quiet + row + [False] * quiet for row in matrix]
    rows += [blank] * (quiet + (len(rows) + quiet) % 2)  # an even number of rows
    lines = []
    for top, bottom in zip(rows[::2], rows[1::2]):
        lines.append("".join(HALF_BLOCKS[(t != invert, b != invert)] for t, b in zip(top, bottom)))
    lines += [text for text, _, _ in readable_lines(label)]
    lines.append(label.unit_code)
    return lines
