"""The reports pages and the activity log page: staff only, scoped, filtered, both languages."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.grants.dashboard.conftest import at
from tests.grants.dashboard.factories import ActivityFactory

PAGES = ("/reports/", "/reports/applications/", "/activity/")


@pytest.mark.parametrize("path", PAGES)
def test_staff_open_the_report_pages(login, cast, funding, path):
    for user in (cast.consultant, cast.admin):
        assert login(user).get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_clients_get_a_404(login, cast, funding, path):
    assert login(cast.client_user).get(path).status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_it_needs_a_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_funding_report_shows_figures_and_charts(login, cast, funding):
    html = login(cast.consultant).get("/reports/").content.decode()
    assert html.count('data-testid="chart"') == 3
    assert "¥1,080,000.00" in html
    assert "Zhangjiang Robotics (张江机器人有限公司)" in html
    assert "Foreign Firm" not in html


def test_the_funding_report_applies_its_filters(login, cast, funding):
    client = login(cast.consultant)
    html = client.get("/reports/", {"year": 2025}).content.decode()
    assert 'data-testid="total-requested">¥780,000.00' in html
    html = client.get("/reports/", {"company": cast.other_company.pk}).content.decode()
    assert 'data-testid="total-requested">¥380,000.00' in html


def test_a_bad_filter_is_a_field_error_not_a_500(login, cast, funding):
    client = login(cast.consultant)
    response = client.get("/reports/", {"year": "nineteen", "company": cast.foreign_company.pk})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"year", "company"}
    assert "is-invalid" in response.content.decode()


def test_the_outsider_sees_only_its_organisation(login, cast, funding):
    html = login(cast.outsider).get("/reports/applications/").content.decode()
    assert funding.foreign.reference in html
    assert funding.submitted.reference not in html


def test_the_applications_report_filters(login, cast, funding):
    client = login(cast.consultant)

    def references(**params):
        page = client.get("/reports/applications/", params).context["page"]
        return {a.reference for a in page.object_list}

    assert references(state="funded") == {funding.funded.reference}
    assert references(company=cast.other_company.pk) == {
        funding.funded.reference,
        funding.rejected.reference,
    }
    assert references(programme="compute_lease") == {
        funding.approved.reference,
        funding.rejected.reference,
        funding.preparing.reference,
    }
    assert references(q="张江") == {funding.funded.reference, funding.rejected.reference}
    assert references(q=funding.draft.reference) == {funding.draft.reference}
    funding.draft.assignee = cast.consultant
    funding.draft.save()
    assert references(assignee=cast.consultant.username) == {funding.draft.reference}


def test_the_report_pages_render_in_chinese(login, cast, funding):
    client = login(cast.consultant)
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-CN"}
    assert "资金报表" in client.get("/reports/", **zh).content.decode()
    assert "申报报表" in client.get("/reports/applications/", **zh).content.decode()
    assert "操作日志" in client.get("/activity/", **zh).content.decode()


def test_the_activity_log_lists_who_did_what(login, cast, funding):
    ActivityFactory(
        company=cast.company,
        actor=cast.consultant,
        verb="created",
        object_type="project",
        object_label="视觉质检平台",
        at=at(2025, 3, 1),
    )
    ActivityFactory(
        company=cast.foreign_company,
        organisation=cast.other_org,
        verb="created",
        object_label="Secret project",
    )
    client = login(cast.consultant)
    html = client.get("/activity/").content.decode()
    assert "视觉质检平台" in html
    assert cast.consultant.display_name in html
    assert "Secret project" not in html
    zh = client.get("/activity/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "创建了" in zh


def test_the_activity_log_has_an_empty_state(login, cast):
    html = login(cast.consultant).get("/activity/").content.decode()
    assert "No activity yet" in html
    html = login(cast.consultant).get("/activity/", {"kind": "company"}).content.decode()
    assert "Nothing matches these filters" in html


def test_the_activity_log_refuses_a_reversed_date_range(login, cast):
    response = login(cast.consultant).get(
        "/activity/", {"date_from": "2025-03-02", "date_to": "2025-03-01"}
    )
    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors


def test_the_outsider_sees_only_its_funding(login, cast, funding):
    html = login(cast.outsider).get("/reports/").content.decode()
    assert 'data-testid="total-requested">¥9,000,000.00' in html
    assert "Lujiazui" not in html and "Zhangjiang" not in html


def test_the_outsider_sees_only_its_activity(login, cast, funding):
    ActivityFactory(company=cast.company, actor=cast.consultant, object_label="视觉质检平台")
    ActivityFactory(
        company=cast.foreign_company,
        organisation=cast.other_org,
        actor=cast.outsider,
        object_label="Foreign project",
    )
    html = login(cast.outsider).get("/activity/").content.decode()
    assert "Foreign project" in html
    assert "视觉质检平台" not in html


def test_the_activity_log_is_paginated_in_time_order(login, cast):
    for hour in range(60):
        ActivityFactory(
            company=cast.company,
            actor=cast.admin,
            object_label=f"row {hour:02d}",
            at=at(2025, 3, 1) + dt.timedelta(hours=hour),
        )
    client = login(cast.consultant)
    first = client.get("/activity/").context
    assert [e.object_label for e in first["entries"]][:2] == ["row 59", "row 58"]
    assert first["page"].paginator.count == 60
    second = client.get("/activity/", {"page": 2}).context
    assert [e.object_label for e in second["entries"]] == [f"row {h:02d}" for h in range(9, -1, -1)]


def test_the_applications_report_is_paginated(login, cast):
    from tests.factories import ProgrammeFactory
    from tests.grants.dashboard.conftest import make_application

    programme = ProgrammeFactory(code="model_voucher")
    for _ in range(55):
        make_application(cast.company, programme, "draft", "1000.00")
    page = login(cast.consultant).get("/reports/applications/", {"page": 2}).context["page"]
    assert len(page.object_list) == 5
    assert page.paginator.count == 55
