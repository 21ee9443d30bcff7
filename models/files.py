"""Writing a file whole or not at all: every command that writes a file goes through here.

What is written goes to a temporary file in the target's own folder and is renamed onto the
target only once it is complete, so a refusal, a full disk or an interrupted run leaves
whatever the target held untouched and no half file behind. A problem comes out as
`NotWritten`, one line saying what could not be written where and why.

Here in models/ because the backup (models.backup) writes through it as the command line and
the desk do; it knows nothing of what is written.
"""
from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from .errors import DeskError
from .i18n import _


class NotWritten(DeskError):
    """A file could not be written; the message names it and says why."""


def _problem(path: Path, exc: OSError) -> NotWritten:
    reason = exc.strerror or str(exc)
    return NotWritten(_("cannot write {file}: {problem}").format(
        file=path, problem=f"{reason[:1].lower()}{reason[1:]}"))


def _target(path: str | Path) -> Path:
    """The file to replace (a link's target, not the link), refused up front if it can't be."""
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent
    if _is_device(target):      # never replaced: renaming onto /dev/full would remove it
        raise NotWritten(_("cannot write {file}: it is a device, not a file").format(file=path))
    if target.is_dir():
        raise NotWritten(_("cannot write {file}: it is a folder, not a file").format(file=path))
    if not folder.exists():
        raise NotWritten(_("cannot write {file}: there is no folder {folder}").format(
            file=path, folder=folder))
    if not folder.is_dir():
        raise NotWritten(_("cannot write {file}: {folder} is not a folder").format(
            file=path, folder=folder))
    return target


def _is_device(path: Path) -> bool:
    """A terminal, a pipe, /dev/null...: written straight to, there is nothing to replace."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def make_folder(path: str | Path) -> None:
    """The folder `path`, made if it is not there yet (with the folders above it)."""
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise NotWritten(_("cannot make the folder {folder}: {problem}").format(
            folder=path, problem=f"{reason[:1].lower()}{reason[1:]}")) from None


@contextmanager
def new_file(path: str | Path) -> Iterator[Path]:
    """A new empty file beside `path` for a writer that wants a file name (a database backup);
    it replaces `path` when the block ends without an error and is removed otherwise."""
    with _new_files([path]) as (temp,):
        try:
            yield temp
        except OSError as exc:
            raise _problem(Path(path), exc) from None


@contextmanager
def writing(path: str | Path, mode: str = "w", *, encoding: str | None = None,
            newline: str | None = None) -> Iterator[IO]:
    """`open(path, mode)`, but the file appears (or replaces what was there) only when the
    block ends without an error. A device or a pipe (/dev/stdout) is written straight to."""
    text = {} if "b" in mode else {"encoding": encoding or "utf-8", "newline": newline}
    if _is_device(Path(path)):
        try:
            with open(path, mode, **text) as out:
                yield out
        except OSError as exc:
            raise _problem(Path(path), exc) from None
        return
    with new_file(path) as temp, open(temp, mode, **text) as out:
        yield out


def write_all(files: dict[Path, bytes]) -> None:
    """Several files, all or none: every one is written to its temporary file first, and
    only when all are complete are they renamed into place. A device or a pipe is written
    straight to, last."""
    devices = {path: data for path, data in files.items() if _is_device(Path(path))}
    regular = {path: data for path, data in files.items() if path not in devices}
    with _new_files(list(regular)) as temps:
        for temp, (path, data) in zip(temps, regular.items(), strict=True):
            try:
                temp.write_bytes(data)
            except OSError as exc:
                raise _problem(path, exc) from None
        for path, data in devices.items():
            try:
                Path(path).write_bytes(data)
            except OSError as exc:
                raise _problem(path, exc) from None


@contextmanager
def _new_files(paths: list[str | Path]) -> Iterator[tuple[Path, ...]]:
    targets = [(Path(path), _target(path)) for path in paths]
    with ExitStack() as undo:
        temps = []
        for path, target in targets:
            temp = _create_beside(path, target)
            undo.callback(temp.unlink, missing_ok=True)
            temps.append(temp)
        yield tuple(temps)
        for temp, (path, target) in zip(temps, targets, strict=True):
            try:
                _keep_mode(target, temp)
                os.replace(temp, target)
            except OSError as exc:
                raise _problem(path, exc) from None


def _create_beside(path: Path, target: Path) -> Path:
    """An empty hidden file in the target's folder (a rename never crosses file systems),
    with the permissions a new file gets there (the umask applies)."""
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise _problem(path, exc) from None
    return temp


def _keep_mode(target: Path, temp: Path) -> None:
    """A file that is replaced keeps its permissions."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return
    os.chmod(temp, mode)
