"""The desk speaks the language of whoever is signed in, at once: the site's (zh-Hant, a fresh
site's), a user's own, or one chosen on the sign-in screen (F8), kept as that user's."""
from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from models.i18n import LANGUAGE_ENV, set_language
from models.tables import AuditLog, User

from .languages import holds, shows
from .test_desk import desk_test, settle, sign_in


@pytest.fixture
def speaking(monkeypatch):
    """Without the suite's RETURNS_DESK_LANG=en, so the users' and the site's languages count."""
    monkeypatch.delenv(LANGUAGE_ENV, raising=False)
    yield
    set_language("en")


def footer_words(app) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey)]


@desk_test
async def test_switching_user_switches_the_language_at_once(desk, pilot, speaking):
    User.update(language="zh-Hans").where(User.name == "inspector").execute()
    app = pilot.app
    assert app.screen.title == "退貨作業台 · 登入"           # the site's: zh-Hant
    await sign_in(pilot, "clerk")
    assert app.current_mode == "overview" and "說明" in footer_words(app)
    assert app.sub_title == "clerk · 倉管員"
    await pilot.press("f12")
    await sign_in(pilot, "inspector")                           # their own: zh-Hans
    assert "帮助" in footer_words(app) and app.sub_title == "inspector · 检验员"
    await pilot.press("f12")
    await pilot.press(*"clerk", "enter")
    assert "简体中文" not in app.screen.sub_title and "繁體中文" in app.screen.sub_title
    await pilot.press("f8")                                     # zh-Hant -> zh-Hans
    assert app.screen.title == "退货工作台 · 登录"
    await pilot.press("f8")                                     # -> English, at once
    assert app.screen.title == "Returns Desk · sign in"
    await pilot.press(*"1234", "enter")
    await settle(pilot)
    assert "Help" in footer_words(app) and app.sub_title == "clerk · clerk"
    assert User.get(User.name == "clerk").language == "en"     # kept as the clerk's own
    change = AuditLog.select().where(AuditLog.action == "user.language").get()
    assert change.entity_key == "clerk"


def test_a_workflows_screen_text_is_checked_in_the_language_spoken():
    """tests/tui/languages.py's `shows`: English as the test says it; in zh-Hant the catalog's
    words, placeholders standing for anything unless given."""
    assert shows("f1 Help f2 Home", "Help", "Help")
    set_language("zh-Hant")
    try:
        assert shows("f1 說明 f2 首頁", "Help", "Help")
        assert not shows("f1 Help f2 Home", "Help", "Help")              # English is not enough
    finally:
        set_language("en")
    assert holds("slip RS-1 issued (return)", "slip {slip} issued ({handling})")
    assert not holds("issued slip RS-1", "slip {slip} issued ({handling})")   # order counts
