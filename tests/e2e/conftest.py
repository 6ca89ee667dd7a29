"""Browser tests: Debian's Chromium driven by Playwright against the live test server."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests' own fixtures there are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def poll_until(page: Page, check: Callable[[], Any], *, timeout_ms: int = 5_000, what: str) -> None:
    """Wait until ``check()`` (which reads the page, e.g. through ``page.evaluate``) is true.

    Polled from the test, not with ``page.wait_for_function``: that one's in-page polling
    evaluates a string, which the pages' Content-Security-Policy (no 'unsafe-eval') refuses
    whenever its first check comes too early. Raises Playwright's TimeoutError naming ``what``.
    """
    for _tick in range(max(timeout_ms // 100, 1)):
        if check():
            return
        page.wait_for_timeout(100)
    if check():
        return
    raise PlaywrightTimeoutError(f"not true within {timeout_ms} ms: {what}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is required (scripts/system-deps.sh installs it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server, transactional_db) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def login(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


class People:
    """One browser context per person, logged in once and kept, as each has their own
    browser. A confirm() (发布名录, 发布本方案 …) is answered yes, as the person would."""

    def __init__(self, browser: Browser, base_url: str, password: str) -> None:
        self._browser, self._base_url, self._password = browser, base_url, password
        self._pages: dict[str, Page] = {}

    def __getitem__(self, username: str) -> Page:
        if username not in self._pages:
            context = self._browser.new_context(
                locale="zh-CN", base_url=self._base_url, viewport={"width": 1280, "height": 900}
            )
            context.set_default_timeout(15_000)
            page = context.new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            login(page, username, self._password)
            self._pages[username] = page
        return self._pages[username]

    def close(self) -> None:
        for page in self._pages.values():
            page.context.close()
