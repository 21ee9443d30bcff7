"""`label`: render or print the labels of a unit, of every unit of a slip, or of a case."""
from __future__ import annotations

from pathlib import Path

from models.i18n import N_, _
from tui.cli.common import Command, Failure, acting_user, progress
from tui.work.label_formats import FORMATS


def arguments(p) -> None:
    p.add_argument("target", metavar="UNIT|SLIP|CASE")
    p.add_argument("--format", choices=FORMATS,
                   help=_("pdf: a page per label; sheet: A4 sheets of labels (default: pdf for "
                          "--out, else what the printer takes: zpl for tcp:, pdf for cups:, png "
                          "for dir:)"))
    p.add_argument("--size", help=_("50x25mm, 2x1in, 4x6in or WxHmm (default: the site's "
                                    "label_size)"))
    p.add_argument("--dpi", type=int, choices=[203, 300])
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="FILE", help=_("a file (a folder for several png/svg "
                                                               "labels)"))
    where.add_argument("--printer", metavar="SPEC", help=_("cups:QUEUE, tcp:HOST:9100 or dir:PATH"))


def run(args) -> int:
    import labels
    from models import settings
    from models.access import require
    from models.files import make_folder, write_all
    from models.printing import record_print, units_for
    from tui.work.labelling import label_files, label_for, label_format, options, print_units
    # Who may print comes first: a refused user renders, writes and sends nothing.
    actor = require(acting_user(args), "label.print")
    opts = options(args.size)
    if not args.out:
        printer = args.printer or settings.get("label_printer")
        if not printer:
            raise Failure(_("say where the labels go: --out FILE or --printer "
                            "cups:Q|tcp:HOST:9100|dir:PATH (or set label_printer)"))
        try:
            fmt = label_format(printer, args.format)
        except labels.PrintError as exc:
            raise Failure(str(exc)) from None
    units = units_for(args.target)
    if not units:
        raise Failure(_("{target} has no received units to label").format(target=args.target))
    codes = [unit.code for unit in units]
    show_progress = progress(len(units))
    if args.out:
        out = Path(args.out)
        files = label_files([label_for(u) for u in units], out, args.format or "pdf", args.dpi,
                            show_progress, **opts)
        folder = list(files) != [out]
        if folder:
            make_folder(out)
        write_all(files)     # every file whole, or none of them
        record_print(actor, codes, f"dir:{out}" if folder else f"file:{out}", ok=True)
        print(_("{n} label(s) written to {out}").format(n=len(units), out=out))
        return 0
    try:
        print_units(actor, units, printer, fmt, args.dpi, show_progress, size=args.size)
    except labels.PrintError as exc:
        raise Failure(_("printing failed, nothing lost (recorded as failed): {reason}").format(
            reason=exc)) from None
    print(_("{n} label(s) sent to {printer}").format(n=len(units), printer=printer))
    return 0


COMMANDS = (
    Command("label", N_("render or print labels of a unit, every unit of a slip, or of a case"),
            run,
            arguments),
)
