"""Who speaks which language: the site's setting `language`, a user's own (chosen by an admin,
or by the user when signing in), and the terminal's own (models.i18n.override), which goes
before both. The translating itself is models.i18n."""
from __future__ import annotations

from . import audit, settings
from .access import operation
from .errors import NotFound, Refused
from .i18n import _, check_language, choose, set_language
from .tables import User

SITE = "site"     # said instead of a language: the user speaks the site's


def language_for(user: User | None) -> str:
    """The language to speak on this terminal for `user` (None: nobody signed in)."""
    return choose(user.language if user is not None else None, settings.get("language"))


def speak_for(user: User | None) -> str:
    """Switch this process to `user`'s language (language_for); returns it."""
    code = language_for(user)
    set_language(code)
    return code


def _checked(code: str | None) -> str | None:
    if code is None or code.strip() in ("", SITE):
        return None
    try:
        return check_language(code)
    except ValueError as exc:
        raise Refused(str(exc)) from None


@operation("users")
def set_user_language(admin: User, name: str, code: str | None) -> None:
    """An admin gives `name` a language of their own; None or "site": the site's."""
    user = User.get_or_none(User.name == name)
    if user is None:
        raise NotFound(_("no user called {name}").format(name=name))
    _record(admin, user, _checked(code))


@operation("view")
def choose_own_language(user: User, code: str) -> User:
    """A signed-in person chooses the language the desk speaks to them from now on; returns
    them as they are now."""
    return _record(user, user, _checked(code))


def _record(actor: User, user: User, code: str | None) -> User:
    if user.language == code:
        return user
    User.update(language=code).where(User.id == user.id).execute()
    audit.record(actor, "user.language", "user", user.name, {"language": user.language},
                 {"language": code})
    user.language = code
    return user
