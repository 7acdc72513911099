"""A real browser signs in and switches the app to Chinese."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_switch_to_chinese(page, live_server, sign_in, cast):
    sign_in(page, cast.consultant)
    expect(page.locator("h1")).to_contain_text("Welcome")
    page.select_option("#language-select", "zh-hans")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_contain_text("欢迎")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.reload()
    expect(page.locator("h1")).to_contain_text("欢迎")
