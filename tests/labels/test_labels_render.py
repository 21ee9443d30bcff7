"""Rendering: every output decodes with a real decoder, codes sit on whole dots."""

import io
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
import qrcode
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from labels import fonts
from labels.model import (
    SIZE_2X1IN,
    SIZE_4X6IN,
    SIZE_50X25MM,
    LabelRef,
    LabelSize,
    parse_size,
)
from labels.payload import decode, encode
from labels.qr import qr_matrix
from labels.render import (
    LabelTooSmall,
    iter_render,
    layout,
    render_image,
    render_pdf,
    render_png,
    render_sheet_pdf,
    render_svg,
    render_zpl,
)

from ..helpers import make_label

SIZES = [SIZE_50X25MM, SIZE_2X1IN, SIZE_4X6IN]
URL = "https://returns.example.com/u/{unit}"


def read_codes(image: Image.Image) -> dict[str, list[str]]:
    """Decoded texts by symbology, from a real decoder."""
    found: dict[str, list[str]] = {"QRCode": [], "Code128": []}
    formats = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128)
    for result in zxingcpp.read_barcodes(image.convert("L"), formats=formats):
        found.setdefault(result.format.name, []).append(result.text)
    return found


def has_cjk_font() -> bool:
    try:
        fonts.find_cjk_font()
    except fonts.FontNotFound:
        return False
    return True


def cjk_font_problem() -> str:
    try:
        fonts.find_cjk_font()
    except fonts.FontNotFound as problem:
        return str(problem)
    return ""


# --- sizes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("50x25mm", LabelSize(50, 25)),
        ("50 x 25 mm", LabelSize(50, 25)),
        ("2x1in", LabelSize(50.8, 25.4)),
        ("4x6in", LabelSize(101.6, 152.4)),
        ("4X6IN", LabelSize(101.6, 152.4)),
        ("62x29", LabelSize(62, 29)),
    ],
)
def test_parse_size(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "50", "50x", "axb", "50x25cm", "5x5mm", "1000x25mm"])
def test_parse_size_rejects_nonsense(text):
    with pytest.raises(ValueError, match="label size"):
        parse_size(text)


def test_size_in_dots():
    assert SIZE_50X25MM.dots(203) == (400, 200)
    assert SIZE_2X1IN.dots(203) == (406, 203)
    assert SIZE_4X6IN.dots(300) == (1200, 1800)


# --- the QR matrix --------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.builds(
            lambda case, slip, line, unit: encode(LabelRef(case, slip, line, unit)),
            st.from_regex(r"2[0-9]{3}-[0-9]{3,4}", fullmatch=True),
            st.from_regex(r"[A-Z]{2}[0-9A-Z./-]{1,12}", fullmatch=True),
            st.integers(1, 999),
            st.from_regex(r"U[0-9]{6,8}", fullmatch=True),
        ),
        st.text(min_size=1, max_size=120),
    )
)

def test_qr_matrix_is_exactly_qrcodes_own(text):
    """Same version, same automatic mask choice, same modules as qrcode."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    qr.add_data(text)
    qr.make(fit=True)
    assert qr_matrix(text) == qr.get_matrix()


def test_typical_label_is_qr_version_2():
    assert len(layout(make_label()).qr) == 25  # version 2: 17 + 4 * 2 modules


# --- PNG ------------------------------------------------------------------------


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("size", SIZES, ids=str)
def test_png_decodes_for_every_size_and_dpi(size, dpi):
    label = make_label()
    png = render_png(label, size, dpi)
    image = Image.open(io.BytesIO(png))
    assert image.size == size.dots(dpi)
    assert round(image.info["dpi"][0]) == dpi
    codes = read_codes(image)
    assert [decode(text) for text in codes["QRCode"]] == [label.ref]
    assert codes["Code128"] == ["U000123"]


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("size", SIZES, ids=str)
def test_modules_and_bars_are_whole_dots(size, dpi):
    """Each QR module is an exact square of dots; each bar an exact multiple."""
    lay = layout(make_label(), size, dpi)
    image = render_image(make_label(), size, dpi)
    pixels = image.load()
    q = lay.qr_module
    assert q >= 2
    for r, row in enumerate(lay.qr):
        for c, dark in enumerate(row):
            x, y = lay.qr_x + c * q, lay.qr_y + r * q
            box = {pixels[x + i, y + j] for i in range(q) for j in range(q)}
            assert box == {0 if dark else 255}, (r, c)
    # The QR's quiet zone is white.
    n = len(lay.qr)
    for i in range(-4 * q, (n + 4) * q):
        assert pixels[lay.qr_x + i, lay.qr_y - 4 * q] == 255
        assert pixels[lay.qr_x - 4 * q, lay.qr_y + i] == 255
    # A line through the bars reads back the Code128 modules, each bar_module wide.
    y = lay.bars_y + lay.bar_height // 2
    row = "".join(
        "1" if pixels[x, y] == 0 else "0"
        for x in range(lay.bars_x, lay.bars_x + len(lay.bars) * lay.bar_module)
    )
    assert row == "".join(m * lay.bar_module for m in lay.bars)
    for x in range(lay.bars_x - 10 * lay.bar_module, lay.bars_x):
        assert pixels[x, y] == 255


def test_text_lines_on_the_small_label():
    lay = layout(make_label(), SIZE_50X25MM, 203)
    texts = [line.text for line in lay.lines]
    assert texts[:3] == ["Case 2611-003", "Slip RS2611-0007 #3", "Part PX-4410-B"]
    assert texts[-1] == "U000123"
    assert "2026-11-05   12.5 kg" in texts
    assert any(text.startswith("C0012") for text in texts)
    for line in lay.lines:
        assert 0 <= line.x and line.baseline <= lay.height


def test_quantity_shows_without_exponent_or_trailing_zeros():
    assert make_label(quantity=Decimal("12.50"), unit="kg").quantity_text == "12.5 kg"
    assert make_label(quantity=Decimal("10"), unit="pcs").quantity_text == "10 pcs"
    assert make_label(quantity=Decimal("1E+1"), unit="pcs").quantity_text == "10 pcs"


def test_tall_label_has_room_for_the_description():
    if not has_cjk_font():
        pytest.skip(cjk_font_problem())
    texts = [line.text for line in layout(make_label(), SIZE_4X6IN, 203).lines]
    assert "鋁合金外殼 刮傷" in texts


def test_long_fields_are_cut_not_spilled():
    label = make_label(customer_name="名" * 80, part_no="P" * 30)
    for size in SIZES:
        lay = layout(label, size, 203)
        for line in lay.lines:
            font = fonts.cjk_font(line.size) if line.cjk else fonts.latin_font(line.size, line.bold)
            if font is not None:
                assert line.x + font.getlength(line.text) <= lay.width
            if line.text != "U000123":     # the text stays above the band
                assert line.baseline < lay.bars_y
        assert read_codes(render_image(label, size, 203))["Code128"] == ["U000123"]


def test_url_template_goes_into_the_qr():
    image = render_image(make_label(), url_template=URL)
    assert read_codes(image)["QRCode"] == ["https://returns.example.com/u/U000123"]


# --- small and custom sizes: never a bar or module narrower than two dots ----------------

CUSTOM = [LabelSize(w, h) for w in (10, 15, 20, 30, 40, 44, 50, 62, 101.6)
          for h in (10, 15, 20, 25, 40, 152.4)]


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("size", SIZES + CUSTOM, ids=str)
def test_codes_scan_at_every_size_down_to_the_smallest(size, dpi):
    """Every accepted size, down to 10x10 mm: the QR decodes to the label, the Code128 too
    where the label has one, and no bar or module is narrower than two dots (a one-dot bar
    does not scan at 1:1). ZPL asks the printer for the same."""
    label = make_label()
    lay = layout(label, size, dpi)
    assert 2 <= lay.qr_module <= 10
    codes = read_codes(render_image(label, size, dpi))
    assert [decode(text) for text in codes["QRCode"]] == [label.ref]
    zpl = render_zpl(label, size, dpi)
    assert f"^BQN,2,{lay.qr_module}^" in zpl
    if lay.bars:
        assert lay.bar_module >= 2
        assert codes["Code128"] == ["U000123"]
        assert f"^BY{lay.bar_module}^BCN," in zpl
    else:
        assert codes["Code128"] == [] and "^BC" not in zpl
    # A code or number is shown whole or not at all: cut short, it would be a wrong one.
    for line in lay.lines:
        if line.text.startswith(("U0", "Case", "Slip", "Part", "2026")):
            assert line.text in {"U000123", "Case 2611-003", "Slip RS2611-0007 #3",
                                 "Part PX-4410-B", "2026-11-05   12.5 kg"}, line.text


def test_the_code128_goes_across_where_it_does_not_fit_beside_the_unit_code():
    lay = layout(make_label(), LabelSize(40, 25), 203)
    assert lay.bars and lay.bar_module == 2
    assert lay.bars_x + len(lay.bars) * lay.bar_module <= lay.width - 10 * lay.bar_module
    assert lay.lines[0].text == "U000123"     # the unit code heads the text instead
    assert all(line.baseline < lay.bars_y for line in lay.lines)


def test_a_label_too_short_for_the_band_has_the_qr_only():
    lay = layout(make_label(), LabelSize(50, 12), 203)
    assert lay.bars == "" and lay.qr_module >= 2
    assert read_codes(render_image(make_label(), LabelSize(50, 12), 203))["Code128"] == []


LONG_URL = ("https://returns.example.com/units/lookup?site=plant-7&terminal=dock-3&printer=zebra"
            "-gk420&lang=zh-TW&from=returns-desk&format=label&version=1&code={unit}")


@pytest.mark.parametrize("dpi", [203, 300])
def test_a_size_too_small_for_the_qr_is_refused_naming_one_that_works(dpi):
    label = make_label()
    with pytest.raises(LabelTooSmall, match=r"use at least \d+x\d+mm") as refused:
        render_png(label, LabelSize(10, 10), dpi, url_template=LONG_URL)
    side = int(re.search(r"at least (\d+)x", str(refused.value))[1])
    smallest = LabelSize(side, side)
    image = render_image(label, smallest, dpi, url_template=LONG_URL)
    assert read_codes(image)["QRCode"] == [LONG_URL.replace("{unit}", "U000123")]
    with pytest.raises(LabelTooSmall):
        layout(label, LabelSize(side - 1, side - 1), dpi, url_template=LONG_URL)


# --- what the printer prints, and the room on a large label --------------------------------


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("size", SIZES, ids=str)
def test_every_format_draws_the_qr_the_zpl_printer_prints(size, dpi):
    """ZPL's ^BQ goes up to magnification 10: the layout (PNG, PDF, SVG) never draws more."""
    lay = layout(make_label(), size, dpi)
    zpl = render_zpl(make_label(), size, dpi)
    assert f"^FO{lay.qr_x},{lay.qr_y}^BQN,2,{lay.qr_module}^" in zpl
    svg = ET.fromstring(render_svg(make_label(), size, dpi))
    ns = {"svg": "http://www.w3.org/2000/svg"}
    d = next(p.get("d") for p in svg.iterfind("svg:path", ns) if p.get("id") == "qr")
    assert f"v{lay.qr_module}h" in d and lay.qr_module <= 10


@pytest.mark.parametrize("dpi", [203, 300])
def test_the_4x6in_label_shows_the_whole_chinese_name_and_description(dpi):
    if not has_cjk_font():
        pytest.skip(cjk_font_problem())
    label = make_label(description="鋁合金外殼 刮傷，外觀凹痕三處，客戶要求退貨")
    lay = layout(label, SIZE_4X6IN, dpi)
    texts = [line.text for line in lay.lines]
    assert not any(text.endswith("…") for text in texts), texts
    joined = "".join(texts)
    assert "上海精密機電有限公司" in joined
    assert "鋁合金外殼" in joined and "客戶要求退貨" in joined
    baselines = [line.baseline for line in lay.lines]
    assert baselines == sorted(baselines)            # one under the other, none on another


# --- CJK ------------------------------------------------------------------------


def test_cjk_text_renders_with_a_real_font():
    if not has_cjk_font():
        pytest.skip(cjk_font_problem())
    lay = layout(make_label(customer_name="上海"), SIZE_50X25MM, 300)
    line = next(line for line in lay.lines if line.text.startswith("C0012"))
    assert line.cjk and line.text == "C0012  上海"
    # Different characters give different ink: not the same "missing glyph" box.
    one = render_image(make_label(customer_name="上海"), SIZE_50X25MM, 300)
    other = render_image(make_label(customer_name="下海"), SIZE_50X25MM, 300)
    latin = render_image(make_label(customer_name=""), SIZE_50X25MM, 300)
    assert one.tobytes() != other.tobytes() != latin.tobytes()


@pytest.fixture
def no_cjk_font(monkeypatch):
    monkeypatch.setattr(fonts, "_system_cjk_font", lambda: None)
    fonts.cjk_font.cache_clear()
    fonts._warn_once.cache_clear()
    yield
    fonts.cjk_font.cache_clear()
    fonts._warn_once.cache_clear()


def test_without_a_cjk_font_the_label_prints_and_says_what_to_install(no_cjk_font):
    with pytest.raises(fonts.FontNotFound, match="fonts-noto-cjk"):
        fonts.find_cjk_font()
    with pytest.warns(fonts.FontNotFound, match="no font with Chinese characters"):
        lay = layout(make_label(), SIZE_4X6IN, 203)
    texts = [line.text for line in lay.lines]
    assert "C0012" in texts  # the code stays, the Chinese name is left out
    assert not any(fonts.needs_cjk(text) for text in texts)
    assert read_codes(render_image(make_label(), SIZE_50X25MM, 203))["Code128"] == ["U000123"]


def test_configured_font_path_that_does_not_exist(tmp_path):
    missing = tmp_path / "nope.ttc"
    with pytest.raises(fonts.FontNotFound, match="does not exist"):
        fonts.find_cjk_font(missing)


def test_configured_font_is_used():
    if not has_cjk_font():
        pytest.skip(cjk_font_problem())
    path = str(fonts.find_cjk_font())
    lay = layout(make_label(), SIZE_50X25MM, 203, cjk_font=path)
    assert lay.cjk_font == path
    assert read_codes(render_image(make_label(), cjk_font=path))["Code128"] == ["U000123"]


# --- SVG ------------------------------------------------------------------------


def test_svg_is_xml_with_the_same_qr_and_bars():
    label = make_label()
    svg = render_svg(label, SIZE_50X25MM, 300)
    root = ET.fromstring(svg)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert root.get("width") == "50mm" and root.get("height") == "25mm"
    lay = layout(label, SIZE_50X25MM, 300)
    assert root.get("viewBox") == f"0 0 {lay.width} {lay.height}"
    paths = {p.get("id"): p.get("d") for p in root.iterfind("svg:path", ns)}
    assert _modules_from_path(paths["qr"], lay.qr_x, lay.qr_y, lay.qr_module, len(lay.qr)) == (
        qr_matrix(encode(label))
    )
    texts = [t.text for t in root.iterfind("svg:text", ns)]
    assert "Case 2611-003" in texts and "U000123" in texts


def _modules_from_path(d: str, x0: int, y0: int, module: int, n: int) -> list[list[bool]]:
    """Rebuild the module grid from the runs "Mx,yhWv..h-Wz"."""
    grid = [[False] * n for _ in range(n)]
    for run in d.split("z")[:-1]:
        start, rest = run[1:].split("h", 1)
        x, y = map(int, start.split(","))
        width = int(rest.split("v")[0])
        for c in range((x - x0) // module, (x - x0 + width) // module):
            grid[(y - y0) // module][c] = True
    return grid


def test_svg_keeps_runs_of_spaces():
    """ "C0012  name" and "date   quantity" keep their spaces, as on the other formats."""
    root = ET.fromstring(render_svg(make_label(), SIZE_50X25MM, 300))
    texts = list(root.iterfind("{http://www.w3.org/2000/svg}text"))
    assert "2026-11-05   12.5 kg" in [t.text for t in texts]
    assert any(t.text.startswith("C0012  ") for t in texts)
    for text in texts:
        assert text.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
        assert "white-space:pre" in text.get("style", "")


def test_svg_escapes_text():
    svg = render_svg(make_label(part_no="A<B&C"))
    assert "Part A&lt;B&amp;C" in svg
    ET.fromstring(svg)


# --- PDF ------------------------------------------------------------------------


def _pdf_pages(data: bytes, dpi: int) -> list[Image.Image]:
    pdf = pdfium.PdfDocument(data)
    return [pdf[i].render(scale=dpi / 72).to_pil() for i in range(len(pdf))]


def test_pdf_one_label_per_page_decodes():
    labels = [make_label(unit_code=f"U{100 + i:06d}", line_no=i + 1) for i in range(3)]
    data = render_pdf(labels, SIZE_50X25MM, 300)
    pdf = pdfium.PdfDocument(data)
    assert len(pdf) == 3
    width_pt, height_pt = pdf[0].get_size()
    assert round(width_pt / 72 * 25.4) == 50 and round(height_pt / 72 * 25.4) == 25
    for label, page in zip(labels, _pdf_pages(data, 300), strict=True):
        codes = read_codes(page)
        assert [decode(text) for text in codes["QRCode"]] == [label.ref]
        assert codes["Code128"] == [label.unit_code]


def test_pdf_takes_a_generator_lazily():
    seen = []

    def labels():
        for i in range(2):
            seen.append(i)
            yield make_label(unit_code=f"U{i:06d}")

    assert render_pdf(labels()).startswith(b"%PDF")
    assert seen == [0, 1]
    with pytest.raises(ValueError, match="no labels"):
        render_pdf([])


def test_a4_sheet_every_label_decodes():
    labels = [make_label(unit_code=f"U{200 + i:06d}", line_no=1 + i % 9) for i in range(33)]
    data = render_sheet_pdf(labels, SIZE_50X25MM, 300)
    pdf = pdfium.PdfDocument(data)
    assert len(pdf) == 2  # 3 columns x 10 rows of 50x25 mm on A4 with 10 mm margins
    width_pt, height_pt = pdf[0].get_size()
    assert (round(width_pt / 72 * 25.4), round(height_pt / 72 * 25.4)) == (210, 297)
    found_refs, found_units = [], []
    for page in _pdf_pages(data, 300):
        codes = read_codes(page)
        found_refs += [decode(text) for text in codes["QRCode"]]
        found_units += codes["Code128"]
    assert sorted(found_refs, key=lambda r: r.unit_code) == [label.ref for label in labels]
    assert sorted(found_units) == [label.unit_code for label in labels]


def test_sheet_refuses_a_label_larger_than_the_page():
    with pytest.raises(LabelTooSmall, match="does not fit"):
        render_sheet_pdf([make_label()], LabelSize(250, 100))


# --- ZPL ------------------------------------------------------------------------


def test_zpl_structure():
    label = make_label()
    zpl = render_zpl(label, SIZE_50X25MM, 203)
    assert zpl.startswith("^XA") and zpl.rstrip().endswith("^XZ")
    assert "^CI28" in zpl and "^PW400" in zpl and "^LL200" in zpl
    assert f"^BQN,2,4^FH^FDMA,{encode(label)}^FS" in zpl
    assert "^BCN," in zpl and "^FDU000123^FS" in zpl
    assert zpl.index("^BC") < zpl.index("^FDU000123")
    assert "^FDCase 2611-003^FS" in zpl
    assert zpl.count("^XA") == zpl.count("^XZ") == 1


def test_zpl_chinese_as_bitmap_or_printer_font():
    if not has_cjk_font():
        pytest.skip(cjk_font_problem())
    zpl = render_zpl(make_label())
    graphic = re.search(r"\^GFA,(\d+),(\d+),(\d+),([0-9A-F]+)\^FS", zpl)
    total, also_total, row_bytes, data = graphic.groups()
    assert total == also_total and len(data) == 2 * int(total)
    assert int(total) % int(row_bytes) == 0 and set(data) != {"0"}
    assert "上海" not in zpl
    with_font = render_zpl(make_label(), printer_font="E:SIMSUN.TTF")
    assert "^A@N," in with_font and "E:SIMSUN.TTF^FH^FDC0012  上海" in with_font
    assert "^GFA" not in with_font


def test_zpl_escapes_command_characters():
    zpl = render_zpl(make_label(part_no="A^B~C_D"))
    assert "^FDPart A_5EB_7EC_5FD^FS" in zpl


def test_iter_render_yields_one_output_per_label():
    labels = [make_label(unit_code=f"U{i:06d}") for i in range(3)]
    outputs = list(iter_render(labels, "zpl"))
    assert len(outputs) == 3 and all(out.startswith(b"^XA") for out in outputs)
    pngs = iter_render(labels, "png", size=SIZE_2X1IN, dpi=300)
    assert read_codes(Image.open(io.BytesIO(next(pngs))))["Code128"] == ["U000000"]
    with pytest.raises(ValueError, match="unknown label format"):
        next(iter_render(labels, "bmp"))
