"""Text a person enters: what the desk refuses in it, and how text already stored is shown.

A terminal obeys control characters and escape sequences (ESC [2J clears the screen, ESC ]0;
sets the window title), bidi overrides and isolates make text read other than it is stored
(U+202A-202E, U+2066-2069), and a lone surrogate is not a character at all (UTF-8 cannot hold
it). None of them belongs in a name, an order, a part, a description or a reason.
"""
from __future__ import annotations

import re

from .errors import Refused
from .i18n import _

# C0 controls (tab, newline and ESC among them), DEL, C1 controls (0x9B is a one-byte CSI),
# bidi embeddings/overrides, bidi isolates, lone surrogates.
_HOSTILE = "\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_FORBIDDEN = re.compile(f"[{_HOSTILE}]")
# In a multi-line text (a note, a basis) a line break and a tab are still text.
_FORBIDDEN_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f" + _HOSTILE.split("\x1f", 1)[1] + "]")

_NAMES = {"\x1b": "ESC", "\x7f": "DEL", "\x00": "NUL", "\t": "TAB", "\n": "LF", "\r": "CR"}


def _name(char: str) -> str:
    """How a refused or shown character is named: ESC, U+202E ..."""
    return _NAMES.get(char) or f"U+{ord(char):04X}"


def check_text(value, what: str, max_length: int | None = None, *, required: bool = False,
               multiline: bool = False) -> str:
    """`value` stripped, or Refused naming the field (`what`) and what is wrong with it:
    a control character, an escape sequence, a bidi override, a lone surrogate, or more
    than `max_length` characters (never cut silently)."""
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise Refused(_("{what} is required").format(what=what))
    found = (_FORBIDDEN_MULTILINE if multiline else _FORBIDDEN).search(text)
    if found:
        kind = (_("{what} {text} holds an escape sequence ({char}): type it again as plain text")
                if found.group() == "\x1b" else
                _("{what} {text} holds a bidi control ({char}): type it again as plain text")
                if "\u202a" <= found.group() <= "\u2069" else
                _("{what} {text} holds a lone surrogate ({char}): type it again as plain text")
                if "\ud800" <= found.group() <= "\udfff" else
                _("{what} {text} holds a control character ({char}): type it again as plain "
                  "text"))
        raise Refused(kind.format(what=what, text=quoted(text), char=_name(found.group())))
    if max_length is not None and len(text) > max_length:
        raise Refused(_("{what} is longer than {max} characters ({n} given)").format(
            what=what, max=max_length, n=len(text)))
    return text


def first_hostile(text: str, multiline: bool = False) -> str | None:
    """The first character check_text would refuse in `text`, or None."""
    found = (_FORBIDDEN_MULTILINE if multiline else _FORBIDDEN).search(text)
    return found.group() if found else None


def _placeholder(match: re.Match) -> str:
    return f"<{_name(match.group())}>"


def shown(text) -> str:
    """`text` safe to write to a terminal, a screen or a log: every control character,
    escape, bidi control and lone surrogate replaced by a visible placeholder (<ESC>,
    <U+202E>). Plain text comes back unchanged."""
    if text is None:
        return ""
    text = str(text)
    return _FORBIDDEN.sub(_placeholder, text) if _FORBIDDEN.search(text) else text


def shown_lines(text) -> str:
    """shown(), keeping line breaks (a multi-line message or note)."""
    return "\n".join(shown(line) for line in str(text).split("\n"))


def named(text, limit: int = 60) -> str:
    """A code or number from outside as a message names it: as it is when it is plain (RS-1),
    quoted() when it holds anything a terminal would obey, a space or a quote."""
    text = "" if text is None else str(text)
    if text and len(text) <= limit and text.isprintable() and not any(c in text for c in " '\""):
        return text
    return quoted(text, limit)


def quoted(text, limit: int = 60) -> str:
    """A value from outside quoted for a message: repr-like, every hostile character visible,
    cut at `limit` characters so a 2,000-character cell does not fill the screen."""
    text = "" if text is None else str(text)
    cut = text if len(text) <= limit else text[:limit] + "…"
    return "'" + shown(cut).replace("'", "\\'") + "'"
