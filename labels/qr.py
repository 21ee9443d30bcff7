"""QR matrices, made the way the `qrcode` library makes them, but faster.

`qrcode` picks the mask by building the symbol eight times and scoring each
with pure-Python loops; that is about 3/4 of the time a label takes. Here the
symbol is built once (mask 0) and the other seven are derived from it: the
difference between two masks is the same for any data of a given version and
error correction level (mask pattern over the data area, plus the format
bits), so it is computed once per version. The score is then taken with
bitwise operations on the whole matrix packed into one integer.

The rules and the tie-break are those of `qrcode.util.lost_point`, so the
result is exactly `qrcode`'s own matrix (tests compare them).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M

Matrix = list[list[bool]]


def qr_matrix(text: str, error_correction: int = ERROR_CORRECT_M) -> Matrix:
    """The modules of the smallest QR symbol for `text`, without quiet zone."""
    qr = qrcode.QRCode(error_correction=error_correction, border=0)
    qr.add_data(text)
    qr.best_fit()
    qr.makeImpl(False, 0)
    n = qr.modules_count
    rows = _pack(qr.modules)
    cols = _pack(list(zip(*qr.modules)))
    best, best_score = 0, None
    diffs = _mask_diffs(qr.version, error_correction)
    for mask, (score_rows, score_cols, _) in enumerate(diffs):
        score = _score(rows ^ score_rows, cols ^ score_cols, n)
        if best_score is None or score < best_score:
            best, best_score = mask, score
    return _unpack(rows ^ diffs[best][2], n)


def _pack(rows: Sequence[Sequence[bool | None]]) -> int:
    """Module (r, c) goes to bit r*(n+1) + c; bit c = n of each row stays 0 so
    that runs and patterns never continue into the next row."""
    bits = "".join("0" + "".join(["1" if m else "0" for m in row[::-1]]) for row in rows[::-1])
    return int(bits, 2)


def _unpack(bits: int, n: int) -> Matrix:
    # Row r as text is the reversed binary of its n+1 bits, guard bit last.
    text = format(bits, f"0{n * (n + 1)}b")[::-1]
    return [[m == "1" for m in text[r * (n + 1) : r * (n + 1) + n]] for r in range(n)]


@cache
def _mask_diffs(version: int, error_correction: int) -> tuple[tuple[int, int, int], ...]:
    """For masks 0..7, what to XOR onto a finished mask-0 symbol (packed) to get:
    the symbol qrcode scores for that mask (rows, columns), and the finished
    symbol with that mask (rows). qrcode scores with the format and version
    bits left light, hence two different differences."""

    def symbol(mask: int, test: bool) -> list[list[bool | None]]:
        qr = qrcode.QRCode(version, error_correction, border=0)
        qr.add_data("0")
        qr.makeImpl(test, mask)
        modules: list[list[bool | None]] = qr.modules
        return modules

    base = symbol(0, False)
    base_rows, base_cols = _pack(base), _pack(list(zip(*base)))
    diffs = []
    for mask in range(8):
        scored = symbol(mask, True)
        diffs.append(
            (
                _pack(scored) ^ base_rows,
                _pack(list(zip(*scored))) ^ base_cols,
                _pack(symbol(mask, False)) ^ base_rows,
            )
        )
    return tuple(diffs)


@cache
def _masks(n: int) -> tuple[int, int, int]:
    """Bit masks of: every module; columns 0..n-2; rows 0..n-2."""
    stride = n + 1
    row_all = (1 << n) - 1
    row_but_last = (1 << (n - 1)) - 1
    every = sum(row_all << (r * stride) for r in range(n))
    but_last_col = sum(row_but_last << (r * stride) for r in range(n))
    but_last_row = sum(row_all << (r * stride) for r in range(n - 1))
    return every, but_last_col, but_last_row


def _score(rows: int, cols: int, n: int) -> int:
    """qrcode's `lost_point` (ISO 18004 penalty rules 1-4) on packed matrices."""
    every, but_last_col, but_last_row = _masks(n)
    score = _runs_and_finders(rows, every, but_last_col)
    score += _runs_and_finders(cols, every, but_last_col)
    # Rule 2: 3 points for each 2x2 block of one colour.
    same_right = but_last_col & ~(rows ^ (rows >> 1))
    same_below = but_last_row & ~(rows ^ (rows >> (n + 1)))
    score += 3 * (same_below & (same_below >> 1) & same_right).bit_count()
    # Rule 4: 10 points for every full 5% the dark share is away from 50%.
    percent = rows.bit_count() / n**2
    score += int(abs(percent * 100 - 50) / 5) * 10
    return score


def _runs_and_finders(x: int, every: int, but_last_col: int) -> int:
    """Rules 1 and 3 along the packed lines of `x`."""
    light = every & ~x
    # Rule 1: a run of 5 or more of one colour costs its length - 2, i.e. one
    # point per 5-long window in it plus 2 per run.
    same = but_last_col & ~(x ^ (x >> 1))
    window5 = same & (same >> 1) & (same >> 2) & (same >> 3)
    run_starts = window5 & ~(window5 << 1)
    score = window5.bit_count() + 2 * run_starts.bit_count()
    # Rule 3: 40 points for dark-light-dark*3-light-dark with 4 light before or after.
    core = x & (light >> 1) & (x >> 2) & (x >> 3) & (x >> 4) & (light >> 5) & (x >> 6)
    light4 = light & (light >> 1) & (light >> 2) & (light >> 3)
    score += 40 * ((core & (light4 >> 7)).bit_count() + (core & (light4 << 4)).bit_count())
    return score
