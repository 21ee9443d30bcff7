"""A change of user at the shared terminal: what it costs beyond building the next person's
screens (the bench's row "sign-in -> home" measures its time)."""
from __future__ import annotations

from textual.widgets import OptionList

from tui.desk.scan import ScanField

from .test_desk import desk_test, settle, sign_in


@desk_test
async def test_a_change_of_user_parses_no_stylesheet(desk, pilot):
    # Textual re-parsed every stylesheet and restyled the app for each new screen: twice per
    # change of user, ~60-100 ms of its ~500 ms on a 2-core machine
    app = pilot.app
    parsed = []
    reparse = app.stylesheet.reparse
    app.stylesheet.reparse = lambda: (parsed.append(1), reparse())[1]
    for name in ("clerk", "supervisor", "clerk"):
        await sign_in(pilot, name)
        assert app.screen.is_mounted and app.current_mode == "overview"
        await pilot.press("f12")
        await settle(pilot)
    assert parsed == []


@desk_test
async def test_signing_in_leaves_no_pin_behind_and_the_list_is_read_at_the_lock(desk, pilot):
    app = pilot.app
    signin = app.screen
    people = signin.query_one("#people", OptionList)
    read = []
    load_people = signin.load_people
    signin.load_people = lambda: (read.append(1), load_people())[1]
    await sign_in(pilot, "clerk")
    assert signin.query_one("#pin", ScanField).value == ""
    assert read == []            # not read again behind the home screen being built
    await pilot.press("f12")
    await settle(pilot)
    assert read == [1] and people.option_count == 6


@desk_test
async def test_the_footer_is_made_again_only_when_its_keys_change(desk, pilot):
    # Textual's footer made every key's widget again at each change of bindings: 8 times on
    # home and 9 on the sign-in screen for one change of user, mostly to show the same keys
    from textual.widgets import Footer
    made = []
    recompose = Footer.recompose

    async def counted(footer):
        made.append(type(footer.parent).__name__)
        return await recompose(footer)
    Footer.recompose = counted
    try:
        await sign_in(pilot, "clerk")
        await pilot.press("f12")
        await settle(pilot)
        made.clear()
        await sign_in(pilot, "supervisor")
    finally:
        Footer.recompose = recompose
    assert pilot.app.current_mode == "overview"
    assert made.count("OverviewScreen") <= 3 and made.count("SignInScreen") <= 3, made
    keys = {key.key for key in pilot.app.screen.query("FooterKey")}
    assert {"f2", "f9", "f12"} <= keys          # home, the monthly report, switch user
