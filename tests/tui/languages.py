"""The role workflow tests once more in Traditional Chinese (issue 18): the same keys, the same
assertions on the database, and the screen's texts checked in the language it speaks.

A test takes the fixture `desk_language` (tests/tui/conftest.py) and runs in English and in
zh-Hant; a text on the screen is checked with `shows`, which reads the English it always did
in English, and in Chinese the catalog's translation of the message the desk shows."""
from __future__ import annotations

import re

import pytest

from models.i18n import LANGUAGE_ENV, SOURCE, _, language, ngettext, set_language

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
    """Whether the screen's text `shown` says what the test expects: in English `english` (the
    test's own words, as before); in another language the translation of `msgid` (with
    `plural` and `n`: ngettext's), filled with `values` (and `n`), the other placeholders
    standing for anything. A message the catalog does not translate yet is still shown in
    English, and checked so: after the catalogs are merged, a `msgid` that is not the desk's
    any more fails here, as the screen speaks Chinese and not `english`."""
    if language() == SOURCE:
        return english in shown
    if plural is not None:
        assert n is not None, "a plural message needs its count"
        message = ngettext(msgid, plural, n)
        untranslated = message in (msgid, plural)
        values = {"n": n, **values}
    else:
        message = _(msgid)
        untranslated = message == msgid
    if untranslated:
        return english in shown
    return holds(shown, message.format_map(_Keep({k: str(v) for k, v in values.items()})))
