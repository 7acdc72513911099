"""On a phone and on a desktop, no page is wider than the screen: wide tables scroll inside
themselves, and big figures stay on one line inside their cards."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import (
    ApplicationFactory,
    CostLineFactory,
    DocumentSlotFactory,
    ProgrammeFactory,
    ProjectFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = (
    "/",
    "/companies/",
    "/companies/{company}/",
    "/companies/projects/{project}/",
    "/companies/projects/{project}/edit/",
    "/applications/",
    "/applications/{application}/",
    "/opportunities/",
    "/policies/",
    "/activity/",
)


@pytest.fixture
def portfolio(cast):
    programme = ProgrammeFactory(code="critical_tech", name_en="Basic-theory breakthroughs")
    DocumentSlotFactory(programme=programme, code="business_licence")
    project = ProjectFactory(
        company=cast.company, title="Industrial defect-inspection foundation model / 工业缺陷检测"
    )
    CostLineFactory(project=project, amount=Decimal("96510000.00"))
    application = ApplicationFactory(
        project=project, programme=programme, requested_amount=Decimal("4953000.00")
    )
    return {"company": cast.company.pk, "project": project.pk, "application": application.pk}


@pytest.mark.parametrize("width", [390, 1400])
def test_no_page_is_wider_than_the_screen(page, live_server, sign_in, cast, portfolio, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, cast.consultant)
    for path in PAGES:
        page.goto(live_server.url + path.format(**portfolio))
        page.wait_for_load_state()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{path} is {scroll_width}px wide on a {width}px screen"


def test_the_big_figures_stay_inside_their_cards(page, live_server, sign_in, cast, portfolio):
    page.set_viewport_size({"width": 1200, "height": 900})
    sign_in(page, cast.consultant)
    page.goto(f"{live_server.url}/opportunities/")
    for test_id in ("board-best-total", "board-if-completed"):
        figure = page.get_by_test_id(test_id)
        assert figure.inner_text() == "¥28,953,000.00"  # 30 % of the costs: a long figure
        assert figure.evaluate("el => el.scrollWidth <= el.closest('.card-body').clientWidth")
        one_line = "el => el.getBoundingClientRect().height < 1.5 * parseFloat(getComputedStyle(el).lineHeight)"
        assert figure.evaluate(one_line)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("width", [1200, 1280, 1440])
def test_the_navigation_bar_fits_on_one_line(
    page, live_server, sign_in, cast, portfolio, width, language
):
    """Every menu label on one line (首页, never 首 over 页), nothing past the bar's edge."""
    cast.admin.language = language
    cast.admin.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, cast.admin)  # the longest menu: every item plus the members link
    page.goto(f"{live_server.url}/companies/")
    assert page.locator("html").get_attribute("lang") in ({"en", "zh-hans", "zh-CN"})
    for link in page.locator("#main-nav .nav-link").all():
        lines = link.evaluate(
            "el => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)"
        )
        assert lines < 2.5, f"{link.inner_text()!r} wraps at {width}px ({language})"
    bar = page.locator(".gd-navbar > div").bounding_box()
    for item in page.locator("#main-nav > ul > li").all():
        box = item.bounding_box()
        assert box["x"] + box["width"] <= bar["x"] + bar["width"] + 1, item.inner_text()
        assert box["y"] < bar["y"] + 80, f"{item.inner_text()!r} fell to a second row"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
