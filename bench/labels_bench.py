"""Label rendering speed: the desk's code against plain qrcode + python-barcode + Pillow.

    python -m bench.labels_bench [--count 500]

Both sides make the same 50x25 mm PNG at 203 dpi for the same labels: a QR of
the same payload (the plain side with qrcode's automatic mask choice), a
Code128 of the unit code (the plain side through python-barcode's
ImageWriter, without its own text line, since the unit code is drawn large
beside it), and the same text lines in the same fonts. The ratio is desk time
per label / plain time per label. Pillow lays text out with Raqm by default
where it is installed; the desk uses the simpler, faster BASIC layout, so a
second plain run with BASIC shows what is left once text costs the same.
"""

from __future__ import annotations

import argparse
import io
import time
from datetime import date, timedelta
from decimal import Decimal

import barcode
import qrcode
from barcode.writer import ImageWriter
from PIL import Image, ImageDraw, ImageFont

from labels import fonts
from labels.model import SIZE_50X25MM, LabelData
from labels.payload import encode
from labels.render import layout, render_png

DPI = 203


def sample_labels(count: int) -> list[LabelData]:
    return [
        LabelData(
            unit_code=f"U{123 + i:06d}",
            case_no=f"2611-{1 + i % 120:03d}",
            slip_no=f"RS2611-{1 + i // 7:04d}",
            line_no=1 + i % 7,
            part_no=f"PX-{4410 + i % 50}-B",
            customer_code=f"C{12 + i % 30:04d}",
            customer_name="上海精密機電有限公司" if i % 2 else "Acme Tooling GmbH",
            description="鋁合金外殼 刮傷",
            received_on=date(2026, 11, 5) + timedelta(days=i % 20),
            quantity=Decimal("12.5") if i % 3 == 0 else Decimal(1 + i % 9),
            unit="kg" if i % 3 == 0 else "pcs",
        )
        for i in range(count)
    ]


def plain_png(label: LabelData, lay, basic_text: bool = False) -> bytes:
    """The same label the straightforward way, at the positions and with the
    text lines of the desk's layout `lay` (worked out before timing: the plain
    side is not charged for fitting text)."""
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=lay.qr_module, border=0
    )
    qr.add_data(encode(label))
    qr_image = qr.make_image().get_image()
    module_mm = lay.bar_module * 25.4 / DPI
    bars = barcode.Code128(label.unit_code, writer=ImageWriter(mode="1", dpi=DPI)).render(
        {
            "module_width": module_mm,
            "module_height": lay.bar_height * 25.4 / DPI,
            "quiet_zone": 0,
            "margin_top": 0,
            "margin_bottom": 0,
            "write_text": False,
        }
    )
    image = Image.new("1", (lay.width, lay.height), 1)
    image.paste(qr_image, (lay.qr_x, lay.qr_y))
    image.paste(bars, (lay.bars_x, lay.bars_y))
    draw = ImageDraw.Draw(image)
    for line in lay.lines:
        font = plain_font(line, basic_text)
        draw.text((line.x, line.baseline), line.text, font=font, fill=0, anchor="ls")
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(DPI, DPI))
    return out.getvalue()


_plain_fonts: dict = {}


def plain_font(line, basic_text: bool) -> ImageFont.FreeTypeFont:
    key = (line.size, line.bold, line.cjk, basic_text)
    if key not in _plain_fonts:
        path = str(fonts.find_cjk_font()) if line.cjk else fonts.LATIN_FONTS[line.bold][0]
        # Pillow's default text layout is Raqm where installed; the desk uses BASIC.
        engine = ImageFont.Layout.BASIC if basic_text else None
        _plain_fonts[key] = ImageFont.truetype(path, line.size, layout_engine=engine)
    return _plain_fonts[key]


def time_per_label(render, labels) -> float:
    start = time.perf_counter()
    for label in labels:
        render(label)
    return (time.perf_counter() - start) / len(labels)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="labels per side (default 500)")
    args = parser.parse_args(argv)
    labels = sample_labels(args.count)

    layouts = {label.unit_code: layout(label, SIZE_50X25MM, DPI) for label in labels}
    # Warm up both (fonts, caches).
    render_png(labels[0], SIZE_50X25MM, DPI)
    plain_png(labels[0], layouts[labels[0].unit_code])
    plain_png(labels[0], layouts[labels[0].unit_code], basic_text=True)
    desk = time_per_label(lambda label: render_png(label, SIZE_50X25MM, DPI), labels)
    plain = time_per_label(lambda label: plain_png(label, layouts[label.unit_code]), labels)
    plain_basic = time_per_label(
        lambda label: plain_png(label, layouts[label.unit_code], basic_text=True), labels
    )
    print(f"{args.count} labels, 50x25 mm PNG at {DPI} dpi")
    for name, seconds in (
        ("desk", desk),
        ("plain", plain),
        ("plain, desk's text engine", plain_basic),
    ):
        print(f"  {name:26}{1 / seconds:8.1f} labels/s  ({seconds * 1000:.2f} ms per label)")
    print(f"  ratio desk/plain: {desk / plain:.2f}  (goal <= 1.3, ideally < 1)")
    print(f"  ratio desk/plain with the same text engine: {desk / plain_basic:.2f}")


if __name__ == "__main__":
    main()
