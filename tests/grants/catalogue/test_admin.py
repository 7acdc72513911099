"""The Django admin for catalogue maintainers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from grants.models import Programme
from tests.factories import ApplicationFactory, CallFactory, UserFactory


@pytest.fixture
def maintainer(db):
    return UserFactory(username="maintainer", is_staff=True, is_superuser=True)


def test_the_programme_list_shows_the_formula(login, maintainer, seeded):
    response = login(maintainer).get("/admin/grants/programme/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "30% of verified R&amp;D investment, at most ¥50,000,000" in html
    assert "5% of the robot-deployment contract value, at most ¥5,000,000" in html


def test_search_and_filters(login, maintainer, seeded):
    client = login(maintainer)
    html = client.get("/admin/grants/programme/", {"q": "voucher"}).content.decode()
    assert "model_voucher" in html and "critical_tech" not in html
    html = client.get(
        "/admin/grants/programme/", {"basis__exact": "compute_lease"}
    ).content.decode()
    assert "compute_lease" in html and "model_voucher" not in html


def test_the_change_page_has_the_preview_slots_and_calls(login, maintainer, seeded):
    programme = Programme.objects.get(code="model_voucher")
    CallFactory(programme=programme, title="2026 model vouchers")
    response = login(maintainer).get(f"/admin/grants/programme/{programme.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "50% of the model-service contract value, at most ¥5,000,000." in html
    assert "Costs bought from related parties do not count." in html
    assert "Credit commitment letter" in html
    assert "2026 model vouchers" in html


def test_saving_a_programme_in_the_admin(login, maintainer, seeded):
    programme = Programme.objects.get(code="robot_deployment")
    client = login(maintainer)
    url = f"/admin/grants/programme/{programme.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in ("areas", "allowed_tax_ratings")
    }
    data.update(
        {
            "policy": programme.policy_id,
            "ratio": "0.07",
            "allowed_tax_ratings": ["A", "B"],
            "is_active": "on",
            "requires_shanghai_registration": "on",
            "document_slots-TOTAL_FORMS": "0",
            "document_slots-INITIAL_FORMS": "0",
            "calls-TOTAL_FORMS": "0",
            "calls-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    programme.refresh_from_db()
    assert str(programme.ratio) == "0.0700"
    assert programme.allowed_tax_ratings == ["A", "B"]


def test_a_ratio_above_one_is_refused_in_the_admin(login, maintainer, seeded):
    programme = Programme.objects.get(code="robot_deployment")
    client = login(maintainer)
    url = f"/admin/grants/programme/{programme.pk}/change/"
    response = client.post(
        url,
        {
            "code": programme.code,
            "name_en": programme.name_en,
            "basis": programme.basis,
            "ratio": "1.5",
            "document_slots-TOTAL_FORMS": "0",
            "document_slots-INITIAL_FORMS": "0",
            "calls-TOTAL_FORMS": "0",
            "calls-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "ratio" in response.context["adminform"].form.errors


def test_calls_filter_by_status(login, maintainer, seeded):
    programme = Programme.objects.get(code="compute_lease")
    now = timezone.now()
    CallFactory(programme=programme, title="Open round")
    CallFactory(
        programme=programme,
        title="Old round",
        opens_at=now - dt.timedelta(days=100),
        deadline=now - dt.timedelta(days=50),
    )
    html = login(maintainer).get("/admin/grants/call/", {"status": "open"}).content.decode()
    assert "Open round" in html and "Old round" not in html


def test_the_admin_keeps_the_programme_of_a_call_with_applications(login, maintainer, seeded, cast):
    programme = Programme.objects.get(code="model_voucher")
    used = CallFactory(programme=programme, title="Used round")
    ApplicationFactory(programme=programme, call=used, project__company=cast.company)
    unused = CallFactory(programme=programme, title="Empty round")
    client = login(maintainer)
    used_page = client.get(f"/admin/grants/call/{used.pk}/change/").content.decode()
    assert 'name="programme"' not in used_page
    unused_page = client.get(f"/admin/grants/call/{unused.pk}/change/").content.decode()
    assert 'name="programme"' in unused_page


def test_policies_and_areas_are_listed(login, maintainer, seeded):
    client = login(maintainer)
    assert "国发〔2025〕11号" in client.get("/admin/grants/policy/").content.decode()
    assert "具身智能" in client.get("/admin/grants/priorityarea/").content.decode()


def test_consultants_without_staff_status_have_no_admin(login, cast, seeded):
    assert login(cast.consultant).get("/admin/grants/programme/").status_code == 302
