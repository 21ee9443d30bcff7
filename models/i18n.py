"""The words a person reads, in their language (docs/translating.md says how to mark a string).

English is the language of the code: every string shown to a person is written in English and
marked, `_("...")` where it is shown, `N_("...")` where a constant is defined (translated with
`_()` when shown), `ngettext(one, many, n)` where a count is shown; the words of codes (models/words.py) are
marked `C_(kind, "...")` and translated with `pgettext(kind, ...)`, the kind telling one meaning
of an English word from another. The translations are gettext
catalogs, `models/locale/<language>/LC_MESSAGES/returns_desk.po`, kept as text in the
repository and compiled when first used (into the user's cache, named by the catalog's content,
so a changed catalog is compiled again and two versions of the desk never share one).

One language per process, as one terminal serves one person at a time: `set_language` switches
it for every thread at once. Which one: the terminal's own (`--lang`, `RETURNS_DESK_LANG`), else
the signed-in user's, else the site's setting `language`, else English (`choose`).
"""
from __future__ import annotations

import gettext
import hashlib
import io
import marshal
import os
import sys
from pathlib import Path

DOMAIN = "returns_desk"
SOURCE = "en"
# The codes people and settings use; a catalog's folder is the code with "_" (zh_Hant).
LANGUAGES = ("zh-Hant", "zh-Hans", "en")
LANGUAGE_NAMES = {"zh-Hant": "繁體中文", "zh-Hans": "简体中文", "en": "English"}
LANGUAGE_ENV = "RETURNS_DESK_LANG"
LOCALE_DIR = Path(__file__).parent / "locale"

_catalogs: dict[str, gettext.NullTranslations] = {SOURCE: gettext.NullTranslations()}
_current: gettext.NullTranslations = _catalogs[SOURCE]
_language = SOURCE
_override: str | None = None      # --lang, for this process


def _(message: str) -> str:
    """`message` (English) in the current language."""
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for a count of `n`; still to be formatted: ngettext("{n} unit", "{n} units",
    n).format(n=n)."""
    return _current.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, as meant in `context`: the same English word may be
    two words in Chinese ("quality" the cause, "quality" the department)."""
    return _current.pgettext(context, message)


def N_(message: str) -> str:
    """Marks a string for the catalogs where it is defined (a module's constant); it is
    translated with _() where it is shown, in the language of that moment."""
    return message


def C_(context: str, message: str) -> str:
    """N_ with a context: marks a constant translated later with pgettext(context, message)."""
    return message


def language() -> str:
    """The language the process speaks now."""
    return _language


def check_language(code: str) -> str:
    """The language `code` names ("zh-Hant", "zh_hant", "EN"), or ValueError saying which there are."""
    wanted = code.strip().replace("_", "-").lower()
    for known in LANGUAGES:
        if known.lower() == wanted:
            return known
    raise ValueError(_("no language {code!r}: one of {known}").format(
        code=code, known=", ".join(LANGUAGES)))


def set_language(code: str) -> None:
    """Speak `code` from now on, in every thread of this process."""
    global _current, _language
    code = check_language(code)
    if code not in _catalogs:
        _catalogs[code] = _load(code)
    _current, _language = _catalogs[code], code


def set_override(code: str | None) -> None:
    """This terminal's own language (`--lang`), before anyone's; None: RETURNS_DESK_LANG's."""
    global _override
    _override = check_language(code) if code else None


def override() -> str | None:
    """The terminal's own language: `--lang`, else RETURNS_DESK_LANG, else None."""
    if _override:
        return _override
    from_env = os.environ.get(LANGUAGE_ENV, "").strip()
    return check_language(from_env) if from_env else None


def choose(user_language: str | None, site_language: str | None) -> str:
    """The language to speak: the terminal's own, else the user's, else the site's, else English."""
    for code in (override(), user_language, site_language):
        if code:
            return check_language(code)
    return SOURCE


def catalog_path(code: str) -> Path:
    return LOCALE_DIR / code.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


def _load(code: str) -> gettext.NullTranslations:
    """The compiled catalog of `code`: from the cache when compiled before, else compiled now
    from the .po (with Babel, imported only then) and kept in the cache for the next start.
    The cache also keeps the catalog as gettext parsed it (marshal, Python's own format, named
    by Python's version): a start loads that in ~1 ms, where parsing the .mo took ~5 ms."""
    source = catalog_path(code).read_bytes()
    compiled = _cache_dir() / f"{code}-{hashlib.sha256(source).hexdigest()[:16]}.mo"
    parsed = compiled.with_suffix(".py{}{}".format(*sys.version_info[:2]))
    try:
        return _Parsed(marshal.loads(parsed.read_bytes()))
    except (OSError, EOFError, ValueError, TypeError):
        pass
    try:
        data = compiled.read_bytes()
    except OSError:
        data = compile_catalog(source, code)
        _keep(compiled, data)
    translations = gettext.GNUTranslations(io.BytesIO(data))
    _keep(parsed, marshal.dumps((translations._catalog, translations._info,
                                 translations._charset)))
    return translations


class _Parsed(gettext.GNUTranslations):
    """A catalog as gettext.GNUTranslations parsed it at an earlier start (models.i18n._load)."""

    def __init__(self, parsed: tuple) -> None:
        gettext.NullTranslations.__init__(self)
        self._catalog, self._info, self._charset = parsed
        plural_forms = self._info.get("plural-forms")
        if plural_forms:     # "nplurals=1; plural=0;", as GNUTranslations reads it
            self.plural = gettext.c2py(plural_forms.split(";")[1].split("plural=")[1])


def _keep(path: Path, data: bytes) -> None:
    """Into the cache; one that cannot be written (a read-only home) only costs the next start."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        pass


def compile_catalog(source: bytes, code: str) -> bytes:
    """A .po's text compiled to .mo bytes; fuzzy entries are left out, as gettext does."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    catalog = read_po(io.BytesIO(source), locale=code.replace("-", "_"), domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _cache_dir() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "returns-desk" / "locale"
