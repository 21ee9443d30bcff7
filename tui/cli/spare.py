"""A spare desk for the next browser (`serve`, tui/cli/serving.py): run as
`python -m tui.cli.spare DESK_ARGS`, it imports and opens the desk while nobody waits, then
runs it once a browser has come, at that browser's size. Apart from serving.py because it
needs the whole command line (tui.cli), which itself leads to serving.py."""
from __future__ import annotations

import json
import os
import sys

import tui.cli
from models.i18n import choose, set_language, set_override
from tui.cli.opening import desk_app


def _read_exactly(size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = os.read(0, size - len(data))     # never more than asked: the rest is the desk's
        if not chunk:
            raise SystemExit(0)                  # the server went away before a browser came
        data += chunk
    return data


def wait_then_run(desk_argv: list[str]) -> int:
    """The desk made ready (imported, its database checked, the label helper started) while
    nobody waits; run once a browser has come, at that browser's size."""
    # The terminal's language (--lang), as `returns-desk` sets it before opening the desk.
    set_override(tui.cli._terminal_language(desk_argv))
    set_language(choose(None, None))
    try:
        app = desk_app(tui.cli.build_parser().parse_args(desk_argv))
    except Exception:        # the database is away, ...: said as `returns-desk` says it, below
        app = None
    header = _read_exactly(5)
    meta = json.loads(_read_exactly(int.from_bytes(header[1:], "big")))
    os.environ["COLUMNS"], os.environ["ROWS"] = str(meta["width"]), str(meta["height"])
    if app is None:
        return tui.cli.main(desk_argv)
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(wait_then_run(sys.argv[1:]))
