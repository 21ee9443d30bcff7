"""Languages on the command line: an admin gives a user their own (`user set-lang`, `user add
--lang`), `--lang` is this terminal's for one command, and a command speaks its user's."""
import pytest

from models.i18n import LANGUAGE_ENV, language, set_language
from models.tables import AuditLog, User
from tui.cli import main


@pytest.fixture
def site(desk, monkeypatch):
    monkeypatch.setenv("RETURNS_DESK_DB", desk.url)
    monkeypatch.setenv("RETURNS_DESK_PIN", "9999")
    monkeypatch.setenv("RETURNS_DESK_NEW_PIN", "4321")
    monkeypatch.delenv(LANGUAGE_ENV, raising=False)
    yield desk
    set_language("en")


def test_an_admin_sets_a_users_language_and_the_user_list_shows_it(site, capsys):
    assert main(["--user", "admin", "user", "set-lang", "clerk", "--lang", "zh_hans"]) == 0
    assert User.get(User.name == "clerk").language == "zh-Hans"
    assert main(["--user", "admin", "user", "add", "mei", "--role", "sales", "--lang", "zh-Hant"]) == 0
    assert User.get(User.name == "mei").language == "zh-Hant"
    assert main(["--user", "admin", "user", "set-lang", "clerk", "--lang", "site"]) == 0
    assert User.get(User.name == "clerk").language is None
    changes = AuditLog.select().where(AuditLog.action == "user.language").count()
    assert changes == 3
    capsys.readouterr()
    assert main(["--lang", "en", "--user", "admin", "user", "list"]) == 0
    assert "mei\tsales\t-\tactive\tzh-Hant" in capsys.readouterr().out


def test_a_wrong_language_is_refused_and_changes_nothing(site, capsys):
    assert main(["--user", "admin", "user", "set-lang", "clerk", "--lang", "fr"]) == 1
    assert "沒有語言 'fr'" in capsys.readouterr().err        # in the site's language
    assert User.get(User.name == "clerk").language is None
    assert main(["--lang", "fr", "user", "list"]) == 1
    assert "--lang or $RETURNS_DESK_LANG: no language 'fr'" in capsys.readouterr().err


def test_a_command_speaks_the_terminals_then_the_users_then_the_sites_language(site):
    User.update(language="zh-Hans").where(User.name == "admin").execute()
    assert main(["--user", "admin", "setting", "list"]) == 0
    assert language() == "zh-Hans"                   # the user's own
    assert main(["--lang", "en", "--user", "admin", "setting", "list"]) == 0
    assert language() == "en"                        # the terminal's, before the user's
    assert main(["audit", "--since", "2026-01-01"]) == 1      # no --user: the site's
    assert language() == "zh-Hant"
