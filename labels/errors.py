"""What labels/ says when it refuses, in the language of the person reading it.

labels/ stands alone (no catalogs, no desk), yet its refusals reach people: a clerk scanning a
damaged label, an admin setting a printer. So each is raised with its English text marked N_()
(extracted into the desk's catalogs) and its values apart; the desk hands its translation
function to `translate_with`, and str() of the error is then in the desk's language of that
moment. `english()` gives the English, for logs and the print queue's stored error. Errors
cross from the label process whole (pickled) and are put into words in the desk's process."""
from __future__ import annotations

from collections.abc import Callable


def N_(message: str) -> str:
    """Marks `message` for the catalogs; it stays English here."""
    return message


def _as_is(message: str) -> str:
    return message


_translate: Callable[[str], str] = _as_is


def translate_with(gettext: Callable[[str], str]) -> None:
    """From now on, errors are said through `gettext` (the desk's `_`)."""
    global _translate
    _translate = gettext


class LabelError(Exception):
    """A refusal of labels/: `message` is English with {placeholders}, `values` fill them."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message)
        self.message, self.values = message, values

    def __str__(self) -> str:
        return _translate(self.message).format(**self.values)

    def english(self) -> str:
        return self.message.format(**self.values)

    def __reduce__(self) -> tuple[object, ...]:
        return _again, (type(self), self.message, self.values)


def _again(kind: type[LabelError], message: str, values: dict[str, object]) -> LabelError:
    return kind(message, **values)
