"""`label`: render or print the labels of a unit, of every unit of a slip, or of a case."""
from __future__ import annotations

from pathlib import Path

from tui.cli.common import Command, Failure, acting_user, progress
from tui.work.label_formats import FORMATS, SINGLE_FILE_FORMATS


def arguments(p) -> None:
    p.add_argument("target", metavar="UNIT|SLIP|CASE")
    p.add_argument("--format", choices=FORMATS, default="pdf",
                   help="pdf: a page per label; sheet: A4 sheets of labels (default pdf)")
    p.add_argument("--size", help="50x25mm (default), 2x1in, 4x6in or WxHmm")
    p.add_argument("--dpi", type=int, choices=[203, 300])
    where = p.add_mutually_exclusive_group()
    where.add_argument("--out", metavar="FILE", help="a file (a folder for several png/svg labels)")
    where.add_argument("--printer", metavar="SPEC", help="cups:QUEUE, tcp:HOST:9100 or dir:PATH")


def run(args) -> int:
    import labels
    from models import settings
    from models.printing import record_print, units_for
    from tui.work.labelling import label_for, options, print_units, write_file
    actor = acting_user(args)
    units = units_for(args.target)
    if not units:
        raise Failure(f"{args.target} has no received units to label")
    opts = options()
    if args.size:
        opts["size"] = labels.parse_size(args.size)
    show_progress = progress(len(units))
    if args.out:
        out = Path(args.out)
        if args.format in SINGLE_FILE_FORMATS or len(units) == 1 and out.suffix:
            items = [label_for(u) for u in units]
            if args.format in SINGLE_FILE_FORMATS:
                write_file(items, out, args.format, args.dpi, show_progress, **opts)
            else:
                render = labels.render_png if args.format == "png" else labels.render_svg
                data = render(items[0], dpi=args.dpi or (203 if args.format == "png" else 300), **opts)
                out.write_bytes(data if isinstance(data, bytes) else data.encode())
            record_print(actor, [u.code for u in units], f"file:{out}", ok=True)
            print(f"{len(units)} label(s) written to {out}")
            return 0
        out.mkdir(parents=True, exist_ok=True)   # one file per label in a folder
        printer = f"dir:{out}"
    else:
        printer = args.printer or settings.get("label_printer")
        if not printer:
            raise Failure("say where the labels go: --out FILE or --printer cups:Q|tcp:HOST:9100|dir:PATH "
                          "(or set label_printer)")
    try:
        print_units(actor, units, printer, args.format, args.dpi, show_progress)
    except labels.PrintError as exc:
        raise Failure(f"printing failed, nothing lost (recorded as failed): {exc}") from None
    print(f"{len(units)} label(s) sent to {printer}")
    return 0


COMMANDS = (
    Command("label", "render or print labels of a unit, every unit of a slip, or of a case", run,
            arguments),
)
