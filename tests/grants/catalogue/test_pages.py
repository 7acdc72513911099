"""The catalogue pages: programmes, policies and areas, for every user, in both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from grants.models import Programme
from tests.factories import CallFactory, ProgrammeFactory, UserFactory


def test_the_programme_list_shows_formula_conditions_documents_and_calls(login, cast, seeded):
    lease = Programme.objects.get(code="compute_lease")
    now = timezone.now()
    CallFactory(
        programme=lease,
        title="2025 compute vouchers",
        opens_at=now - dt.timedelta(days=1),
        deadline=dt.datetime(2030, 6, 30, 9, 0, tzinfo=dt.UTC),  # 17:00 in Shanghai
    )
    CallFactory(
        programme=lease,
        title="Next round",
        opens_at=now + dt.timedelta(days=30),
        deadline=now + dt.timedelta(days=60),
    )
    CallFactory(
        programme=lease,
        title="Long closed",
        opens_at=now - dt.timedelta(days=90),
        deadline=now - dt.timedelta(days=60),
    )
    response = login(cast.client_user).get("/programmes/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "30% of verified R&amp;D investment, at most ¥50,000,000" in html
    assert "100% of computing-power lease costs, with no cap" in html
    assert "Tax credit rating: A, B, M." in html
    assert "Any priority area." in html
    assert "Costs bought from related parties do not count." in html
    assert "Business licence" in html and "营业执照" in html
    assert "2025 compute vouchers" in html
    assert "2030-06-30 17:00" in html  # Shanghai time
    assert "Next round" in html
    assert "Long closed" not in html
    assert html.count('data-testid="programme-card"') == 8
    assert 'id="non-fiscal-support"' in html
    assert "Hukou" in html


def test_the_programme_list_in_chinese(login, cast, seeded):
    cast.client_user.language = "zh-hans"
    cast.client_user.save()
    html = login(cast.client_user).get("/programmes/").content.decode()
    assert "基础理论与关键技术攻关" in html
    assert "Basic-theory and critical-technology breakthroughs" in html  # the other language too
    assert "¥50,000,000" in html
    assert "人才落户与住房保障支持" in html


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("voucher", {"model_voucher", "corpus_voucher"}),
        ("模型券", {"model_voucher"}),
        ("R&D", {"critical_tech"}),
        ("computing", {"compute_lease"}),
        ("nothing-like-this", set()),
    ],
)
def test_the_programme_list_is_searchable(login, cast, seeded, q, expected):
    response = login(cast.consultant).get("/programmes/", {"q": q})
    html = response.content.decode()
    found = {
        code
        for code in Programme.objects.values_list("code", flat=True)
        if f'id="programme-{code}"' in html
    }
    assert found == expected
    if not expected:
        assert "No programme matches your search" in html


def test_inactive_programmes_are_not_listed(login, cast, seeded):
    Programme.objects.filter(code="robot_deployment").update(is_active=False)
    html = login(cast.consultant).get("/programmes/").content.decode()
    assert 'id="programme-robot_deployment"' not in html


def test_the_programme_list_takes_constant_queries(
    login, cast, seeded, django_assert_max_num_queries
):
    client = login(cast.consultant)
    client.get("/programmes/")
    with django_assert_max_num_queries(14) as few:
        client.get("/programmes/")
    for index in range(15):
        programme = ProgrammeFactory(code=f"extra_{index}")
        CallFactory(programme=programme)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/programmes/")
    assert response.content.decode().count('data-testid="programme-card"') == 23


def test_the_programme_page(login, cast, seeded):
    response = login(cast.client_user).get("/programmes/first_software/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "First-version high-end software" in html
    assert "首版次高端软件" in html
    assert "Software copyright certificate" in html
    assert "软件著作权登记证书" in html
    assert "Several Measures for Expanding AI Applications" in html
    assert "Edit in the admin" not in html


def test_a_maintainer_gets_a_link_to_the_admin(login, cast, seeded):
    cast.consultant.is_staff = True
    cast.consultant.save()
    html = login(cast.consultant).get("/programmes/first_software/").content.decode()
    assert "Edit in the admin" in html


def test_an_unknown_programme_is_404(login, cast, seeded):
    assert login(cast.consultant).get("/programmes/nope/").status_code == 404


def test_the_policies_by_tier_with_both_titles(login, cast, seeded):
    response = login(cast.other_client).get("/policies/")
    assert response.status_code == 200
    html = response.content.decode()
    for tier in ("national", "top_level", "vertical", "call_notice"):
        assert f'data-testid="tier-{tier}"' in html
    assert html.index('data-testid="tier-national"') < html.index('data-testid="tier-vertical"')
    assert "Opinions on Deepening the" in html
    assert "国务院关于深入实施" in html
    assert "国发〔2025〕11号" in html
    assert "2025-08-21" in html and "published 08-26" in html
    assert "2023 (announced 07-08)" in html


def test_issuers_read_in_the_reader_s_language(login, cast, seeded):
    html = login(cast.consultant).get("/policies/").content.decode()
    assert "Municipal Government General Office" in html and "State Council" in html
    cast.consultant.language = "zh-hans"
    cast.consultant.save(update_fields=["language"])
    html = login(cast.consultant).get("/policies/").content.decode()
    assert "上海市人民政府办公厅" in html and "国务院" in html
    assert "Municipal Government General Office" not in html
    assert "SHEITC" not in html  # its every form has a Chinese name


def test_the_policies_are_searchable(login, cast, seeded):
    html = login(cast.consultant).get("/policies/", {"q": "沪府办发〔2023〕8号"}).content.decode()
    assert "Three-Year Action Plan for High-Quality Manufacturing" in html
    assert "Medical AI" not in html


def test_the_priority_areas(login, cast, seeded):
    area = Programme.objects.get(code="demo_scenario")
    area.areas.set(area.areas.model.objects.filter(code="healthcare"))
    response = login(cast.client_user).get("/areas/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="area"') == 12
    assert "Embodied AI" in html and "具身智能" in html
    assert "humanoid robots" in html
    assert 'data-testid="any-area"' in html


def test_the_areas_in_chinese(login, cast, seeded):
    client = login(cast.client_user)
    html = client.get("/areas/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "人形机器人" in html


@pytest.mark.parametrize(
    "url", ["/programmes/", "/programmes/model_voucher/", "/policies/", "/areas/"]
)
def test_catalogue_pages_need_a_login_and_nothing_more(client, login, seeded, url):
    assert client.get(url).status_code == 302
    assert login(UserFactory(username="no_membership")).get(url).status_code == 200


def test_the_navigation_offers_the_catalogue(login, cast, seeded):
    html = login(cast.client_user).get("/policies/").content.decode()
    assert 'href="/programmes/"' in html


@pytest.mark.parametrize("url", ["/policies/", "/areas/", "/programmes/model_voucher/"])
def test_catalogue_pages_take_constant_queries(login, cast, seeded, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grants.models import Policy, PriorityArea

    client = login(cast.consultant)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    voucher = Programme.objects.get(code="model_voucher")
    for index in range(12):
        policy = Policy.objects.create(
            code=f"extra-{index}", title_en=f"Extra {index}", tier="vertical"
        )
        area = PriorityArea.objects.create(
            code=f"extra_{index}", name_en=f"Extra {index}", group="vertical"
        )
        programme = ProgrammeFactory(code=f"extra_{index}", policy=policy)
        programme.areas.add(area)
        CallFactory(programme=voucher)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
