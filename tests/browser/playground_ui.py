"""The Agents Playground's page as the tests use it: the message box, the rendered Adaptive Cards,
the chat and channel list, the @mention menu. One place that knows the Playground's UI handles."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

CARD = ".ac-adaptiveCard"
# The message box is a rich-text editor; a card with an Input.Text is a textbox too.
MESSAGE_BOX = "div[role='textbox'][contenteditable='true']"


class PlaygroundPage:
    def __init__(self, page: Page, screenshot_dir: Path) -> None:
        self.page = page
        self.screenshot_dir = screenshot_dir

    def open(self, url: str) -> PlaygroundPage:
        self.page.goto(url)
        self.message_box.wait_for()
        self._close_log_panel()
        return self

    def _close_log_panel(self) -> None:
        """The log panel takes a third of the page; the screenshots are easier to read without it."""
        panel = self.page.get_by_text("Log Panel", exact=True)
        if panel.count():
            panel.locator("xpath=../..").get_by_role("button").last.click()

    # --- chat -------------------------------------------------------------------------------

    @property
    def message_box(self) -> Locator:
        return self.page.locator(MESSAGE_BOX).last

    @property
    def cards(self) -> Locator:
        return self.page.locator(CARD)

    def card_count(self) -> int:
        return self.cards.count()

    def say(self, text: str) -> None:
        """Type a message in the chat's box and send it."""
        self.message_box.click()
        self.message_box.fill(text)
        self.message_box.press("Enter")

    def next_card(self, seen: int) -> Locator:
        """The first card after the `seen` ones already on the page, once it is there."""
        self.page.wait_for_function("([selector, n]) => document.querySelectorAll(selector).length > n",
                                    arg=[CARD, seen])
        return self.cards.nth(seen)

    def shows(self, text: str | re.Pattern) -> Locator:
        """The last element on the page whose own text contains `text` (waits for it)."""
        found = self.page.get_by_text(text).last
        expect(found).to_be_visible()
        return found

    def click(self, card: Locator, button: str) -> None:
        card.get_by_role("button", name=button, exact=True).click()

    def choose(self, card: Locator, choice: str) -> None:
        card.get_by_role("radio", name=choice, exact=True).check()

    # --- team channel -------------------------------------------------------------------------

    def open_channel(self, team: str, channel: str) -> None:
        self.page.get_by_role("treeitem", name=f"{team} - {channel}").click()
        expect(self.page.get_by_text("Start a new post")).to_be_visible()

    def post_mentioning(self, bot_name: str, text: str) -> None:
        """Start a new post in the open channel: @, pick the bot from the menu, then the text."""
        box = self.page.locator(MESSAGE_BOX).first
        box.click()
        self.page.keyboard.type("@")
        self.page.get_by_role("menuitem", name=bot_name).click()
        self.page.keyboard.type(f" {text}")
        self.page.get_by_role("button", name="Post", exact=True).click()

    # --- evidence -----------------------------------------------------------------------------

    def screenshot(self, name: str, around: Locator | None = None) -> Path:
        """Save the page (scrolled to `around`) as test-output/browser/<name>.png."""
        if around is not None:
            around.scroll_into_view_if_needed()
        self.page.wait_for_timeout(300)  # let the renderer settle (fonts, layout)
        path = self.screenshot_dir / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path
