"""Sending labels to a printer: a CUPS queue, a raw TCP port, or a folder.

A printer is written as one string in the desk's settings:

    cups:QUEUE          print through CUPS (`lp -d QUEUE`; ZPL goes `-o raw`)
    tcp:HOST[:PORT]     raw socket, usually a Zebra on port 9100
    dir:/some/folder    write files there (a share a print server watches, or tests)

Failures raise PrintError with a message for the desk to show; the desk keeps
the job queued and tries again later.
"""

from __future__ import annotations

import itertools
import os
import re
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from labels.errors import N_, LabelError
from labels.model import DEFAULT_SIZE, LabelData, LabelSize
from labels.render import render_pdf, render_png, render_sheet_pdf, render_svg, render_zpl

FORMATS = ("zpl", "pdf", "sheet", "png", "svg")
_EXTENSIONS = {"zpl": "zpl", "pdf": "pdf", "sheet": "pdf", "png": "png", "svg": "svg"}


class _RenderOptions(TypedDict):
    """What every renderer takes, whichever the format."""

    size: LabelSize
    dpi: int
    url_template: str | None
    cjk_font: str | None


class PrintError(LabelError):
    """The labels did not reach the printer; the message says why and what to check."""


@dataclass(frozen=True)
class CupsPrinter:
    queue: str
    timeout: float = 30

    default_format = "pdf"
    # CUPS filters turn PDF and images into what the printer speaks; ZPL goes raw. It has
    # no filter for SVG.
    formats = ("pdf", "sheet", "png", "zpl")

    def send(self, data: bytes, fmt: str, name: str) -> None:
        command = ["lp", "-d", self.queue, "-t", f"Returns Desk {name}"]
        if fmt == "zpl":
            command += ["-o", "raw"]  # straight to the printer, no CUPS filters
        try:
            done = subprocess.run(
                command, input=data, capture_output=True, timeout=self.timeout, check=False
            )
        except FileNotFoundError:
            raise PrintError(
                N_("can't print to CUPS queue {queue!r}: the lp command is not installed"
                   " (Debian/Ubuntu: apt install cups-client), or choose a tcp: or dir: printer"
                   " in the settings"), queue=self.queue
            ) from None
        except subprocess.TimeoutExpired:
            raise PrintError(
                N_("CUPS did not take the job for queue {queue!r} within {timeout:g} s: is the"
                   " CUPS service running?"), queue=self.queue, timeout=self.timeout) from None
        if done.returncode != 0:
            reason = (
                done.stderr.decode(errors="replace").strip() or f"lp exit status {done.returncode}"
            )
            raise PrintError(N_("CUPS queue {queue!r} refused the job: {reason}"),
                             queue=self.queue, reason=reason)

    def __str__(self) -> str:
        return f"cups:{self.queue}"


@dataclass(frozen=True)
class TcpPrinter:
    host: str
    port: int = 9100
    timeout: float = 10

    default_format = "zpl"
    # A raw port hands the bytes to the printer as they are: a Zebra prints a PDF as garbage.
    formats = ("zpl",)

    def send(self, data: bytes, fmt: str, name: str) -> None:
        where = f"{self.host}:{self.port}"
        try:
            with socket.create_connection((self.host, self.port), timeout=self.timeout) as conn:
                conn.sendall(data)
                conn.shutdown(socket.SHUT_WR)
        except socket.gaierror:
            raise PrintError(
                N_("printer host {host!r} is unknown: check its name or address in the settings"),
                host=self.host) from None
        except ConnectionRefusedError:
            raise PrintError(
                N_("printer at {where} refused the connection: check the address and port (raw"
                   " printing is usually 9100) and that the printer is ready"), where=where) from None
        except TimeoutError:
            raise PrintError(
                N_("printer at {where} did not answer within {timeout:g} s: is it switched on and"
                   " on the network?"), where=where, timeout=self.timeout) from None
        except OSError as problem:
            raise PrintError(N_("can't print to {where}: {problem}"), where=where,
                             problem=problem.strerror or str(problem)) from None

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"tcp:{host}:{self.port}"


@dataclass(frozen=True)
class DirPrinter:
    path: Path

    default_format = "png"
    formats = FORMATS

    def check_folder(self) -> None:
        """PrintError unless the folder is there to write into."""
        if not self.path.is_dir():
            raise PrintError(
                N_("label folder {path!r} does not exist: create it or fix the path in the settings"),
                path=str(self.path))

    def send(self, data: bytes, fmt: str, name: str) -> Path:
        self.check_folder()
        target = self._free_name(name, _EXTENSIONS[fmt])
        temp = None
        try:
            # Write under a hidden name and rename, so whatever watches the
            # folder never picks up half a file.
            fd, temp = tempfile.mkstemp(prefix=".", suffix=".part", dir=self.path)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temp, target)
        except OSError as problem:
            if temp:
                Path(temp).unlink(missing_ok=True)
            raise PrintError(N_("can't write labels into {path!r}: {problem}"), path=str(self.path),
                             problem=problem.strerror or str(problem)) from None
        return target

    def _free_name(self, name: str, extension: str) -> Path:
        # A reprint must not overwrite a file that may not have been printed yet.
        target, number = self.path / f"{name}.{extension}", 1
        while target.exists():
            number += 1
            target = self.path / f"{name}-{number}.{extension}"
        return target

    def __str__(self) -> str:
        return f"dir:{self.path}"


Printer = CupsPrinter | TcpPrinter | DirPrinter

_CUPS_QUEUE = re.compile(r"[^\s/#:\-][^\s/#]*")


def parse_printer(spec: str) -> Printer:
    """The printer for a settings string: "cups:QUEUE", "tcp:HOST:9100", "dir:/path"."""
    kind, _, rest = spec.strip().partition(":")
    kind = kind.lower()
    if kind == "cups" and _CUPS_QUEUE.fullmatch(rest):
        return CupsPrinter(rest)
    if kind == "tcp" and rest:
        host, port = _host_port(rest)
        if host and port:
            return TcpPrinter(host, port)
    if kind == "dir" and rest:
        return DirPrinter(Path(rest).expanduser())
    raise PrintError(
        N_("printer {spec!r} not understood: write cups:QUEUE, tcp:HOST:9100 or dir:/folder"), spec=spec)


def _host_port(text: str) -> tuple[str, int | None]:
    if text.startswith("["):  # [IPv6]:port
        host, _, port = text[1:].partition("]")
        port = port.removeprefix(":")
    elif text.count(":") == 1:
        host, port = text.split(":")
    else:
        host, port = text, ""
    if not port:
        return host, 9100
    return host, int(port) if port.isdigit() and 0 < int(port) < 65536 else None


def format_for(printer: str | Printer, fmt: str | None = None) -> str:
    """The format labels go to `printer` in: `fmt`, or the printer's own when none is given
    (zpl for tcp:, pdf for cups:, png for dir:). A format the printer can't take is refused
    (PrintError) before anything is rendered or sent."""
    if isinstance(printer, str):
        printer = parse_printer(printer)
    if fmt is None:
        return printer.default_format
    if fmt not in FORMATS:
        raise PrintError(N_("label format {format!r} unknown: use one of {formats}"), format=fmt,
                         formats=", ".join(FORMATS))
    if fmt not in printer.formats:
        raise PrintError(N_("printer {printer} can't take {format} labels, only {formats}"),
                         printer=str(printer), format=fmt, formats=", ".join(printer.formats))
    return fmt


def default_dpi(fmt: str) -> int:
    """Dots per inch when none is given: a label printer's 203 for what goes to one (ZPL,
    PNG), 300 for PDF and SVG, which an office printer scales."""
    return 300 if fmt in ("pdf", "sheet", "svg") else 203


def print_labels(
    labels: Iterable[LabelData],
    printer: str | Printer,
    *,
    fmt: str | None = None,
    size: LabelSize = DEFAULT_SIZE,
    dpi: int | None = None,
    url_template: str | None = None,
    cjk_font: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Render `labels` and send them to `printer`; returns how many were sent.

    `fmt` is zpl, pdf (a page per label), sheet (A4 sheets), png or svg; by
    default zpl for tcp:, pdf for cups:, png for dir:, and refused where the
    printer can't take it (see `format_for`). ZPL and PDF go as one
    job; PNG and SVG as one file or job per label. `progress(done)` is called
    after each label is rendered (call this from a worker thread).
    """
    if isinstance(printer, str):
        printer = parse_printer(printer)
    fmt = format_for(printer, fmt)
    dpi = dpi or default_dpi(fmt)
    options = _RenderOptions(size=size, dpi=dpi, url_template=url_template, cjk_font=cjk_font)
    labels = iter(labels)
    first = next(labels, None)
    if first is None:
        return 0
    labels = itertools.chain([first], labels)
    done: list[LabelData] = []

    def counted() -> Iterable[LabelData]:
        for label in labels:
            yield label
            done.append(label)
            if progress:
                progress(len(done))

    if fmt in ("png", "svg"):
        render = render_png if fmt == "png" else render_svg
        for label in labels:
            output = render(label, **options)
            printer.send(
                output if isinstance(output, bytes) else output.encode(), fmt, label.unit_code
            )
            done.append(label)
            if progress:
                progress(len(done))
        return len(done)
    if fmt == "zpl":
        data = "".join(render_zpl(label, **options) for label in counted()).encode()
    elif fmt == "pdf":
        data = render_pdf(counted(), **options)
    else:
        data = render_sheet_pdf(counted(), **options)
    name = done[0].unit_code if len(done) == 1 else f"{done[0].unit_code}-{done[-1].unit_code}"
    printer.send(data, fmt, name)
    return len(done)
