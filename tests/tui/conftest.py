"""Fixtures of the desk's tests."""
from .languages import desk_language  # noqa: F401  (the role workflows in English and zh-Hant)
