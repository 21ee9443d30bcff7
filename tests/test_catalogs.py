"""Every string marked for translation in the code is in the zh-Hant and zh-Hans catalogs,
translated, not fuzzy, with the English one's placeholders; and the catalogs load as the desk
loads them. The strings are extracted as `pybabel extract` does (babel.cfg, docs/translating.md)."""
from __future__ import annotations

import gettext

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from models import i18n

ROOT = Path(__file__).resolve().parents[1]
# The keywords of docs/translating.md's extract command: Babel's own and C_ (context, message).
KEYWORDS = {**DEFAULT_KEYWORDS, "C_": ((1, "c"), 2)}
TRANSLATED = [code for code in i18n.LANGUAGES if code != i18n.SOURCE]

# {name}, {name!r}, {0}, {n:>3}; %s, %(name)s, %d ... ({{ and }} are literal braces).
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[#0+-]*\d*(?:\.\d+)?[sdifr]")


def placeholders(text: str) -> Counter:
    return Counter(_PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


def extracted() -> dict[tuple[str | None, str], tuple[str, ...]]:
    """(context, msgid) -> every English form (one, or singular and plural), from the code."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {}
    for _file, _line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        forms = message if isinstance(message, tuple) else (message,)
        if forms[0]:
            found[(context, forms[0])] = forms
    return found


@pytest.fixture(scope="module")
def messages():
    found = extracted()
    assert len(found) > 100, "the extraction found (almost) nothing: is babel.cfg read?"
    return found


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_marked_string_is_translated_with_its_placeholders(messages, code):
    with i18n.catalog_path(code).open("rb") as po:
        catalog = read_po(po)
    problems = []
    for (context, msgid), forms in sorted(messages.items(), key=lambda item: str(item[0])):
        where = f"{context}|{msgid!r}" if context else repr(msgid)
        entry = catalog.get(msgid, context=context)
        if entry is None:
            problems.append(f"missing: {where}")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {where}")
        if len(forms) > 1 and (not isinstance(entry.id, tuple) or tuple(entry.id) != forms):
            problems.append(f"plural forms differ from the code's: {where}")
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            problems.append(f"untranslated: {where}")
            continue
        wanted = placeholders(forms[-1])      # a count's text: its plural names them all
        for string in strings:
            if placeholders(string) != wanted:
                problems.append(f"placeholders {sorted(placeholders(string))} instead of "
                                f"{sorted(wanted)}: {where} -> {string!r}")
    assert not problems, f"{code}: {len(problems)} problem(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("code", TRANSLATED)
def test_a_chinese_catalog_has_one_plural_form(code):
    with i18n.catalog_path(code).open("rb") as po:
        catalog = read_po(po)
    assert catalog.num_plurals == 1
    assert "nplurals=1; plural=0" in catalog.plural_forms


def test_the_desk_speaks_each_language_and_back(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))       # compiled here, then loaded
    monkeypatch.setattr(i18n, "_catalogs", {i18n.SOURCE: i18n._catalogs[i18n.SOURCE]})
    try:
        i18n.set_language("zh_hant")
        assert i18n.language() == "zh-Hant" and i18n._("Help") == "說明"
        assert i18n.pgettext("department", "quality") == "質量管理部"
        assert i18n.pgettext("cause", "quality") == "質量異常"
        for n in (1, 2, 11):
            assert i18n.ngettext(" · {n} day late", " · {n} days late", n).format(n=n) == \
                f" · 逾期 {n} 天"
        i18n.set_language("zh-Hans")
        assert i18n.pgettext("department", "quality") == "品质部"
        i18n.set_language("en")
        assert i18n.ngettext(" · {n} day late", " · {n} days late", 2) == " · {n} days late"
        assert i18n._("Help") == "Help"
        assert len(list((tmp_path / "returns-desk" / "locale").glob("*.mo"))) == 2
    finally:
        i18n.set_language("en")


def test_a_second_start_loads_the_catalog_as_parsed_before(tmp_path, monkeypatch):
    # The .mo is compiled once; the next start loads gettext's parse of it (~1 ms, not ~5).
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = i18n._load("zh-Hans")
    second = i18n._load("zh-Hans")
    assert type(first) is gettext.GNUTranslations and type(second) is i18n._Parsed
    assert second._catalog == first._catalog and second._info == first._info
    for n in (1, 2):
        assert second.ngettext(" · {n} day late", " · {n} days late", n) == \
            first.ngettext(" · {n} day late", " · {n} days late", n)
    assert second.pgettext("department", "quality") == "品质部"


def test_the_terminal_goes_before_the_user_and_the_user_before_the_site(monkeypatch):
    monkeypatch.delenv(i18n.LANGUAGE_ENV, raising=False)
    assert i18n.choose(None, None) == "en"
    assert i18n.choose(None, "zh-Hant") == "zh-Hant"
    assert i18n.choose("zh-Hans", "zh-Hant") == "zh-Hans"
    monkeypatch.setenv(i18n.LANGUAGE_ENV, "en")
    assert i18n.choose("zh-Hans", "zh-Hant") == "en"
    i18n.set_override("zh-Hant")                # --lang goes before RETURNS_DESK_LANG
    try:
        assert i18n.choose("zh-Hans", None) == "zh-Hant"
    finally:
        i18n.set_override(None)
    with pytest.raises(ValueError, match="no language 'fr'"):
        i18n.check_language("fr")
