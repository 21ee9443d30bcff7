"""The desk's log: what the person at the screen need not read, but an admin may want
later (a label printed without its Chinese text). A file of this terminal's, beside its
journal of kept scans; never the screen, which Textual owns while the desk runs."""
from __future__ import annotations

import logging
from pathlib import Path

LOGGER = "returns_desk"


def log_path_for(journal: Path) -> Path:
    return journal.parent / "desk.log"


def open_log(path: Path) -> Path:
    """From now on the desk's messages (logger "returns_desk" and below) go to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger(LOGGER)
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False      # not to the root logger's stderr: that is the screen
    return path
