"""Glue between the domain and labels/: turn units into labels, print them, record it; read
the unit code a scanned label's QR carries.

Used by the `label` command, by the desk's printer worker (tui/work/printing.py) and by the
screens that take scans; call it from a worker thread.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import labels
from labels.printers import DirPrinter
from models import settings
from models.errors import DeskError
from models.files import NotWritten
from models.i18n import _
from models.printing import label_facts, record_print
from models.tables import Unit

# labels/ raises in English with its texts marked (labels/errors.py): said in the desk's language.
labels.translate_with(_)


def _printer(text: str) -> None:
    if text.strip():                      # empty: labels wait in the queue for a printer
        labels.parse_printer(text)


def _font(text: str) -> None:
    if text.strip():                      # empty: a font found on the system, if any
        labels.find_cjk_font(text.strip())


def _url_template(text: str) -> None:
    if text.strip():                      # empty: the compact code
        labels.check_url_template(text.strip())


def _refusing(check: Callable[[str], object]) -> Callable[[str], None]:
    """`check`, its LabelError said as the ValueError a setting is refused with."""
    def run(text: str) -> None:
        try:
            check(text)
        except labels.LabelError as problem:
            raise ValueError(str(problem)) from None
    return run


# The label settings are refused when set, not when a label is printed: the grammars are
# labels/', which models/ may not import. Imported by whatever sets them (the `setting`
# command, the desk's settings screen).
for _name, _check in (("label_printer", _printer), ("label_size", labels.parse_size),
                      ("label_font", _font), ("label_url_template", _url_template)):
    settings.check_with(_name, _refusing(_check))


def english(exc: BaseException) -> str:
    """An error's text in English, to be stored (a print job's last error) or logged."""
    return exc.english() if isinstance(exc, labels.LabelError) else str(exc)


def captions() -> labels.LabelCaptions:
    """The label's field names in the current language (labels/ translates nothing)."""
    # TRANSLATORS: printed on a label: keep them short, and keep the placeholders
    return labels.LabelCaptions(case=_("Case {case_no}"), slip=_("Slip {slip_no} #{line_no}"),
                                part=_("Part {part_no}"))


def label_data(facts: dict) -> labels.LabelData:
    """A label of models.printing.label_facts, its field names in the current language."""
    return labels.LabelData(**facts, captions=captions())


def label_for(unit: Unit) -> labels.LabelData:
    return label_data(label_facts(unit))


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


def options(size: str | None = None) -> dict:
    """Size, QR form and Chinese font from the site's settings; `size` ("4x6in") instead of
    the site's."""
    return {"size": labels.parse_size(size or settings.get("label_size")),
            "url_template": settings.get("label_url_template") or None,
            "cjk_font": settings.get("label_font") or None}


def label_format(printer: str, fmt: str | None = None) -> str:
    """The format labels go to `printer` in: `fmt`, or the one that printer takes (zpl for
    tcp:, pdf for cups:, png for dir:). A printer not understood, a format it can't take, or a
    dir: printer's folder that is not there, is refused (labels.PrintError) before anything is
    rendered, sent or recorded."""
    found = labels.parse_printer(printer)
    if isinstance(found, DirPrinter):
        found.check_folder()
    return labels.format_for(found, fmt)


def label_files(items: list[labels.LabelData], out: Path, fmt: str, dpi: int | None = None,
                progress: Callable[[int], None] | None = None, **opts) -> dict[Path, bytes]:
    """The files `--out` makes, rendered (nothing is written here): one file for pdf, sheet
    and zpl, and for a single png or svg label; else a png or svg per label, named after its
    unit, in the folder `out`."""
    dpi = dpi or labels.default_dpi(fmt)

    def counted():
        for number, item in enumerate(items, start=1):
            yield item
            if progress:
                progress(number)
    if fmt == "pdf":
        return {out: labels.render_pdf(counted(), dpi=dpi, **opts)}
    if fmt == "sheet":
        return {out: labels.render_sheet_pdf(counted(), dpi=dpi, **opts)}
    if fmt == "zpl":
        return {out: "".join(labels.render_zpl(item, dpi=dpi, **opts) for item in counted()).encode()}
    rendered = labels.iter_render(counted(), fmt, dpi=dpi, **opts)
    if into_folder(out, len(items)):
        return {out / f"{item.unit_code}.{fmt}": data for item, data in zip(items, rendered, strict=True)}
    return {out: next(rendered)}


def into_folder(out: Path, count: int) -> bool:
    """Whether png or svg labels for `--out` go into the folder `out`, a file each: several
    labels, or a folder given (an existing one, or a new name without a suffix)."""
    if out.is_dir():
        return True
    if count > 1:
        if out.exists():
            raise NotWritten(_("cannot write {n} labels into {out}: it is a file, and several "
                               "png or svg labels go into a folder, a file each").format(
                                   n=count, out=out))
        return True
    return not (out.suffix or out.exists())


def print_units(user, units: Iterable[Unit], printer: str, fmt: str | None = None,
                dpi: int | None = None, progress: Callable[[int], None] | None = None,
                size: str | None = None) -> int:
    """Print labels for `units` now and record every one, printed or failed. A printer spec
    not understood or a format it can't take is refused first, and not recorded."""
    units = list(units)
    codes = [unit.code for unit in units]
    opts = options(size)
    fmt = label_format(printer, fmt)
    try:
        sent = labels.print_labels([label_for(u) for u in units], printer, fmt=fmt, dpi=dpi,
                                   progress=progress, **opts)
    except labels.PrintError as exc:
        record_print(user, codes, printer, ok=False, error=english(exc))
        raise
    record_print(user, codes, printer, ok=True)
    return sent
