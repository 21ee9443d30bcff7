"""`serve` in a real browser: headless Chromium (bench/chromium.py) opens the desk's page.
Skipped where /usr/bin/chromium is not installed (CI installs no browser)."""
import asyncio

import pytest

from bench import chromium
from tests.cli.test_serve import serving

why_not = chromium.available()
pytestmark = pytest.mark.skipif(why_not is not None, reason=why_not or "")


async def _open(port: int, wanted: str) -> chromium.Browser:
    async with chromium.Browser() as tab:
        await tab.open(f"http://127.0.0.1:{port}/", wanted)
        await tab.wait_for_mark("text painted", timeout=60)
        return tab


@pytest.mark.parametrize("lang, wanted", [("en", "Scan your badge"), ("zh-Hant", "請刷識別證")])
def test_the_sign_in_screen_comes_and_nothing_is_asked_elsewhere(tmp_path, lang, wanted):
    # textual-serve's own page asked a web-font host for Roboto Mono: offline, a box glyph
    with serving(tmp_path, "--lang", lang) as (port, _):
        tab = asyncio.run(_open(port, wanted))
    own = f"127.0.0.1:{port}"
    assert tab.outside_requests(own) == []
    assert f"http://{own}/static/fonts/RobotoMono-VariableFont_wght.ttf" in tab.requests
    assert f"ws://{own}/ws?" in " ".join(tab.requests)
