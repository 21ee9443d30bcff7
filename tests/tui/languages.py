"""The role workflow tests once more in Traditional Chinese (issue 18): the same keys, the same
assertions on the database, and the screen's texts checked in the language it speaks.

A test takes the fixture `desk_language` (tests/tui/conftest.py) and runs in English and in
zh-Hant; a text on the screen is checked with `shows`: the message the desk shows, in the
language it speaks (through the same catalog)."""
from __future__ import annotations

import re

import pytest

from models.i18n import LANGUAGE_ENV, SOURCE, _, ngettext, set_language

DESK_LANGUAGES = ("en", "zh-Hant")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@pytest.fixture(params=DESK_LANGUAGES)
def desk_language(request, monkeypatch):
    """The terminal's language (RETURNS_DESK_LANG, which the desk takes before the user's and
    the site's) and the test's own, for its `_()`."""
    monkeypatch.setenv(LANGUAGE_ENV, request.param)
    set_language(request.param)
    yield request.param
    set_language(SOURCE)


class _Keep(dict):
    """Placeholders without a value stay as they are: they stand for anything."""
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def holds(shown: str, message: str) -> bool:
    """Whether `shown` holds `message`, its placeholders standing for any text: each piece
    between them, in order."""
    at = 0
    for piece in PLACEHOLDER.split(message):
        piece = piece.strip()
        if piece:
            found = shown.find(piece, at)
            if found < 0:
                return False
            at = found + len(piece)
    return True


def shows(shown: str, english: str, msgid: str, plural: str | None = None,
          n: int | None = None, **values: object) -> bool:
    """Whether the screen's text `shown` says what the test expects: `msgid` (with `plural` and
    `n`: ngettext's) in the language spoken, filled with `values` (and `n`), the other
    placeholders standing for anything. While the message is not translated (English, or a
    catalog without it yet) the test's own words `english` will do too, as the screen said before
    the message was marked. In Chinese only the translation will do: a `msgid` that is not the
    desk's any more fails here, as the screen speaks Chinese and says neither."""
    if plural is not None:
        assert n is not None, "a plural message needs its count"
        message = ngettext(msgid, plural, n)
        untranslated = message in (msgid, plural)
        values = {"n": n, **values}
    else:
        message = _(msgid)
        untranslated = message == msgid
    if holds(shown, message.format_map(_Keep({k: str(v) for k, v in values.items()}))):
        return True
    return untranslated and english in shown
