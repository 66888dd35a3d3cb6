"""A real browser (headless Chromium via Playwright) chatting in the demo's room page."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.e2e.test_servers_chat import APP, chat_env, migrate
from tests.support.servers import ROOT, running_server

CHROMIUM = shutil.which("chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: How long (ms) the browser may take for anything we wait on.
WAIT_MS = 10_000

#: Set by .ci/run: a missing Chromium fails the browser test instead of skipping it.
REQUIRE_CHROMIUM = os.environ.get("TYPEDCHANNELS_REQUIRE_CHROMIUM") == "1"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not REQUIRE_CHROMIUM,
    reason="Chromium is not installed (apt-get install chromium; .ci/run installs it)",
)


@pytest.fixture(scope="module")
def chat_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    database: Path = tmp_path_factory.mktemp("browser") / "chat.sqlite3"
    env = chat_env(database)
    migrate(env)
    with running_server("uvicorn", APP, env=env) as port:
        yield port


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if CHROMIUM is None:
        pytest.fail("TYPEDCHANNELS_REQUIRE_CHROMIUM=1 but no chromium on PATH")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


async def open_room(browser: Browser, url: str) -> Page:
    page = await (await browser.new_context()).new_page()
    page.set_default_timeout(WAIT_MS)
    await page.goto(url)
    await expect(page.locator("#status")).to_have_text("connected")
    await expect(page.locator("#you")).to_have_text(re.compile(r"^guest-"))
    return page


async def test_a_line_typed_in_one_page_appears_in_the_other(
    browser: Browser, chat_port: int
) -> None:
    room = "browser-" + uuid.uuid4().hex[:8]
    url = f"http://127.0.0.1:{chat_port}/chat/{room}/"
    ada = await open_room(browser, url)
    bob = await open_room(browser, url)
    ada_name = await ada.locator("#you").text_content()
    bob_name = await bob.locator("#you").text_content()
    assert ada_name
    assert bob_name
    assert ada_name != bob_name
    everyone = ", ".join(sorted([ada_name, bob_name]))
    await expect(ada.locator("#presence")).to_have_text(everyone)
    await expect(bob.locator("#presence")).to_have_text(everyone)

    await ada.locator("#text").press_sequentially("hello from a real browser")
    await expect(bob.locator("#typing")).to_contain_text(f"{ada_name} typing")
    await ada.locator("#text").press("Enter")

    for page in (bob, ada):
        line = page.locator("#log li").last
        await expect(line.locator(".author")).to_have_text(ada_name)
        await expect(line.locator(".text")).to_have_text("hello from a real browser")
    await expect(bob.locator("#typing")).to_have_text("")

    ARTIFACTS.mkdir(exist_ok=True)
    await bob.screenshot(path=str(ARTIFACTS / "browser-chat-receiver.png"))
    await ada.screenshot(path=str(ARTIFACTS / "browser-chat-sender.png"))

    await bob.context.close()
    await expect(ada.locator("#presence")).to_have_text(ada_name)
