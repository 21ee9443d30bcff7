"""The terminal preview: half blocks that are exactly the QR, then the text."""

import pytest

from labels.payload import encode
from labels.preview import preview_lines
from labels.qr import qr_matrix

from ..helpers import make_label

URL = "https://returns.example.com/u/{unit}"
# Character -> (upper module dark, lower module dark)
HALVES = {" ": (False, False), "▀": (True, False), "▄": (False, True), "█": (True, True)}


def modules_from_blocks(lines: list[str], invert: bool = False) -> list[list[bool]]:
    rows = []
    for line in lines:
        top = [HALVES[c][0] != invert for c in line]
        bottom = [HALVES[c][1] != invert for c in line]
        rows += [top, bottom]
    return rows


@pytest.mark.parametrize("invert", [False, True])
@pytest.mark.parametrize("url_template", [None, URL])
def test_blocks_are_the_qr_matrix(invert, url_template):
    label = make_label()
    matrix = qr_matrix(encode(label, url_template))
    n, quiet = len(matrix), 2
    lines = preview_lines(label, url_template, invert=invert)
    qr_lines = lines[: (n + 2 * quiet + 1) // 2]
    assert set("".join(qr_lines)) <= set(HALVES)
    assert all(len(line) == n + 2 * quiet for line in qr_lines)
    rows = modules_from_blocks(qr_lines, invert)
    assert [row[quiet:-quiet] for row in rows[quiet : quiet + n]] == matrix
    # The margin around it is light.
    assert not any(rows[0]) and not any(rows[quiet + n])
    assert not any(row[0] or row[-1] for row in rows)


def test_text_follows_the_code():
    lines = preview_lines(make_label())
    text = lines[lines.index("Case 2611-003") :]
    assert text == [
        "Case 2611-003",
        "Slip RS2611-0007 #3",
        "Part PX-4410-B",
        "C0012  上海精密機電有限公司",
        "2026-11-05   12.5 kg",
        "鋁合金外殼 刮傷",
        "U000123",
    ]


def test_field_names_are_the_ones_the_desk_passes():
    """labels/ translates nothing: the desk hands it the field names in the reader's language,
    each a template whose placeholders it fills; without them they are English."""
    from labels.model import LabelCaptions
    captions = LabelCaptions(case="案件 {case_no}", slip="退貨單 {slip_no} #{line_no}",
                             part="料號 {part_no}")
    lines = preview_lines(make_label(captions=captions))
    assert ["案件 2611-003", "退貨單 RS2611-0007 #3", "料號 PX-4410-B"] == \
        lines[lines.index("案件 2611-003"):][:3]
