"""Glue between the domain and labels/: turn units into labels, print them, record it; read
the unit code a scanned label's QR carries.

Used by the `label` command, by the desk's printer worker (tui/work/printing.py) and by the
screens that take scans; call it from a worker thread.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import labels
from models import settings
from models.errors import DeskError
from models.printing import label_facts, record_print
from models.tables import Unit


def label_for(unit: Unit) -> labels.LabelData:
    return labels.LabelData(**label_facts(unit))


def read_label(text: str) -> str | None:
    """The unit code a label's QR carries, as printed (compact, or the site's URL form), for
    models.codes to judge; None if `text` is no QR label. A damaged label, or one from a newer
    desk, is refused with the reason."""
    try:
        return labels.decode(text, settings.get("label_url_template") or None).unit_code
    except labels.NotALabel:
        return None
    except labels.PayloadError as exc:
        raise DeskError(str(exc)) from None


def options() -> dict:
    """Size and QR form from the site's settings."""
    return {"size": labels.parse_size(settings.get("label_size")),
            "url_template": settings.get("label_url_template") or None}


def write_file(items: list[labels.LabelData], path: Path, fmt: str, dpi: int | None,
               progress: Callable[[int], None] | None = None, **opts) -> None:
    """Several labels into one file: a PDF (a page each), an A4 sheet, or one ZPL stream."""
    def counted():
        for number, item in enumerate(items, start=1):
            yield item
            if progress:
                progress(number)
    if fmt == "pdf":
        data = labels.render_pdf(counted(), dpi=dpi or 300, **opts)
    elif fmt == "sheet":
        data = labels.render_sheet_pdf(counted(), dpi=dpi or 300, **opts)
    else:
        data = "".join(labels.render_zpl(item, dpi=dpi or 203, **opts) for item in counted()).encode()
    path.write_bytes(data)


def print_units(user, units: Iterable[Unit], printer: str, fmt: str | None = None,
                dpi: int | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Print labels for `units` now and record every one, printed or failed."""
    units = list(units)
    codes = [unit.code for unit in units]
    try:
        sent = labels.print_labels([label_for(u) for u in units], printer, fmt=fmt, dpi=dpi,
                                   progress=progress, **options())
    except labels.PrintError as exc:
        record_print(user, codes, printer, ok=False, error=str(exc))
        raise
    record_print(user, codes, printer, ok=True)
    return sent
