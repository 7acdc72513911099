"""Company pages: list, create, edit, detail, delete; scoping and roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from companies import hooks
from companies.models import Activity, Company, Contact
from core import panels
from tests.companies.factories import REAL_USCCS, ContactFactory, company_post
from tests.factories import (
    ApplicationFactory,
    CompanyFactory,
    MembershipFactory,
    ProjectFactory,
    UserFactory,
)

LIST = reverse("companies:list")
CREATE = reverse("companies:create")


def detail(company):
    return reverse("companies:detail", kwargs={"pk": company.pk})


# --- list -------------------------------------------------------------------------------------


def test_it_lists_the_organisations_companies_only(login, cast):
    html = login(cast.consultant).get(LIST).content.decode()
    assert cast.company.name in html and cast.other_company.name in html
    assert cast.foreign_company.name not in html


def test_a_client_sees_only_its_own_company_in_the_list(login, cast):
    html = login(cast.client_user).get(LIST).content.decode()
    assert cast.company.name in html
    assert cast.other_company.name not in html and cast.foreign_company.name not in html
    assert CREATE not in html  # no "Add a company" for clients


@pytest.mark.parametrize(
    "query", ["lujiazui", "陆家嘴", "LUJIAZUI VISION", None], ids=["name", "zh", "case", "uscc"]
)
def test_it_searches_by_name_chinese_name_or_uscc(login, cast, query):
    query = query or cast.company.uscc[-8:].lower()
    html = login(cast.consultant).get(LIST, {"q": query}).content.decode()
    assert cast.company.name in html
    assert cast.other_company.name not in html


def test_it_filters_by_district(login, cast):
    cast.other_company.district = "xuhui"
    cast.other_company.save()
    html = login(cast.consultant).get(LIST, {"district": "xuhui"}).content.decode()
    assert cast.other_company.name in html and cast.company.name not in html


@pytest.mark.parametrize(
    ("sort", "first"), [("name", "Lujiazui"), ("-name", "Zhangjiang"), ("bogus", "Lujiazui")]
)
def test_it_sorts_and_ignores_unknown_sorts(login, cast, sort, first):
    html = login(cast.consultant).get(LIST, {"sort": sort}).content.decode()
    names = [html.index("Lujiazui Vision Ltd"), html.index("Zhangjiang Robotics")]
    assert (names[0] < names[1]) == (first == "Lujiazui")


def test_it_paginates(login, cast):
    for n in range(30):
        CompanyFactory(organisation=cast.org, name=f"Batch {n:02d}")
    client = login(cast.consultant)
    first = client.get(LIST).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert "Zhangjiang Robotics" in second and "Zhangjiang Robotics" not in first
    assert client.get(LIST, {"page": "999"}).status_code == 200  # clamps, never a 500


def test_it_shows_an_empty_state_with_and_without_a_search(login, cast):
    client = login(cast.outsider)
    Company.objects.filter(organisation=cast.other_org).delete()
    assert "No companies yet" in client.get(LIST).content.decode()
    html = login(cast.consultant).get(LIST, {"q": "no-such-firm"}).content.decode()
    assert "No company matches your search" in html


def test_the_list_is_in_chinese_for_a_chinese_user(login, cast):
    cast.consultant.language = "zh-hans"
    cast.consultant.save()
    html = login(cast.consultant).get(LIST).content.decode()
    assert "公司" in html and "统一社会信用代码" in html and "浦东新区" in html


# --- create and edit --------------------------------------------------------------------------


def test_a_consultant_adds_a_company_with_contacts(login, cast):
    data = company_post(
        uscc=REAL_USCCS[1].lower(),
        **{
            "contacts-TOTAL_FORMS": "2",
            "contacts-0-name": "Wang Fang",
            "contacts-0-title": "CFO",
            "contacts-0-email": "wang@example.com",
            "contacts-1-name": "",  # the blank extra row is ignored
        },
    )
    response = login(cast.consultant).post(CREATE, data)
    company = Company.objects.get(name="Pudong Vision AI Ltd")
    assert response.status_code == 302 and response["Location"] == detail(company)
    assert company.organisation == cast.org
    assert company.uscc == REAL_USCCS[1]  # normalised to capitals
    assert list(company.contacts.values_list("name", flat=True)) == ["Wang Fang"]
    assert Activity.objects.filter(verb="created", object_id=str(company.pk)).exists()


def test_the_create_form_shows_errors_beside_the_fields(login, cast):
    data = company_post(name="", uscc="91330100799655058C", district="atlantis")
    response = login(cast.consultant).post(CREATE, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors and "district" in form.errors
    assert "the last character should be B" in form.errors["uscc"][0]
    html = response.content.decode()
    assert "is-invalid" in html and "invalid-feedback" in html
    assert 'value="Pudong Vision AI Ltd"' not in html  # the name was blanked, others kept:
    assert "浦东视觉智能有限公司" in html


def test_a_duplicate_uscc_in_the_organisation_is_a_field_error(login, cast):
    response = login(cast.consultant).post(CREATE, company_post(uscc=cast.company.uscc.lower()))
    assert response.status_code == 200
    assert "already exists in your organisation" in response.context["form"].errors["uscc"][0]


def test_the_same_uscc_may_exist_in_another_organisation(login, cast):
    response = login(cast.outsider).post(CREATE, company_post(uscc=cast.company.uscc))
    assert response.status_code == 302


def test_a_consultant_edits_a_company_and_its_contacts(login, cast):
    kept = ContactFactory(company=cast.company, name="Kept")
    ContactFactory(company=cast.company, name="Dropped")
    data = company_post(
        name="Lujiazui Vision Group",
        uscc=cast.company.uscc,
        **{
            "contacts-TOTAL_FORMS": "3",
            "contacts-INITIAL_FORMS": "2",
            "contacts-0-name": kept.name,
            "contacts-1-name": "Dropped",
            "contacts-1-DELETE": "on",
            "contacts-2-name": "New Person",
        },
    )
    response = login(cast.consultant).post(reverse("companies:edit", args=[cast.company.pk]), data)
    assert response.status_code == 302
    cast.company.refresh_from_db()
    assert cast.company.name == "Lujiazui Vision Group"
    assert list(cast.company.contacts.values_list("name", flat=True)) == ["Kept", "New Person"]
    activity = Activity.objects.get(verb="updated", object_id=str(cast.company.pk))
    assert "name" in activity.data["fields"] and activity.actor == cast.consultant


def test_the_edit_form_keeps_its_own_uscc(login, cast):
    url = reverse("companies:edit", args=[cast.company.pk])
    response = login(cast.consultant).post(url, company_post(uscc=cast.company.uscc))
    assert response.status_code == 302


def test_adding_a_contact_row_works_without_javascript(login, cast):
    data = company_post(
        **{
            "contacts-TOTAL_FORMS": "1",
            "contacts-0-name": "First",
            "formset_action": "contacts:add",
        }
    )
    response = login(cast.consultant).post(CREATE, data)
    assert response.status_code == 200
    contacts = response.context["contacts"]
    assert len(contacts.forms) == 3  # the typed row, the blank row, the added row
    assert contacts.forms[0].initial["name"] == "First"
    assert not Company.objects.filter(name="Pudong Vision AI Ltd").exists()
    assert 'value="Pudong Vision AI Ltd"' in response.content.decode()


def test_a_client_may_not_create_or_edit_companies(login, cast):
    client = login(cast.client_user)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, company_post()).status_code == 403
    edit = reverse("companies:edit", args=[cast.company.pk])
    assert client.get(edit).status_code == 403
    assert client.get(reverse("companies:delete", args=[cast.company.pk])).status_code == 403


def test_a_user_without_membership_sees_nothing(login, cast):
    loner = UserFactory(username="loner")
    client = login(loner)
    assert cast.company.name not in client.get(LIST).content.decode()
    assert client.get(detail(cast.company)).status_code == 404
    assert client.get(CREATE).status_code == 403


# --- detail -------------------------------------------------------------------------------------


def test_the_company_page_shows_profile_contacts_projects_and_panels(login, cast):
    ContactFactory(company=cast.company, name="Li Lei", email="li@example.com")
    project = ProjectFactory(company=cast.company, title="Vision Inspector")

    def panel(request, company):
        return f"<div class='col-12' id='test-panel'>Applications of {company.pk}</div>"

    panels.add("company", panel)
    try:
        html = login(cast.consultant).get(detail(cast.company)).content.decode()
    finally:
        panels.remove("company", panel)
    assert "陆家嘴视觉科技有限公司" in html and cast.company.uscc in html
    assert "Li Lei" in html
    assert "Vision Inspector" in html and reverse("companies:project_detail", args=[project.pk])
    assert f"<div class='col-12' id='test-panel'>Applications of {cast.company.pk}</div>" in html
    assert "Applications" in html


def test_outsiders_and_other_clients_get_404_on_every_company_page(login, cast):
    urls = [
        reverse(name, args=[cast.company.pk])
        for name in ("companies:detail", "companies:edit", "companies:delete")
    ] + [reverse("companies:project_create", args=[cast.company.pk])]
    for user in (cast.outsider, cast.other_client):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url, company_post()).status_code in (404, 405), (user, url)
    assert Company.objects.filter(pk=cast.company.pk, name="Lujiazui Vision Ltd").exists()


def test_superusers_get_no_pass_to_other_organisations(login, cast):
    cast.outsider.is_staff = cast.outsider.is_superuser = True
    cast.outsider.save()
    assert login(cast.outsider).get(detail(cast.company)).status_code == 404


# --- delete -------------------------------------------------------------------------------------


def test_delete_asks_for_confirmation_then_deletes_with_projects(login, cast):
    company = CompanyFactory(organisation=cast.org, name="Short-lived Ltd")
    ProjectFactory(company=company)
    ContactFactory(company=company)
    client = login(cast.consultant)
    url = reverse("companies:delete", args=[company.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Short-lived Ltd" in page.content.decode()
    assert Company.objects.filter(pk=company.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Company.objects.filter(pk=company.pk).exists()
    assert not Contact.objects.filter(company_id=company.pk).exists()
    assert Activity.objects.filter(verb="deleted", object_type="company").exists()


def test_delete_is_refused_with_a_message_when_a_blocker_says_so(login, cast):
    def blocker(obj):
        return ["It is under audit."] if obj == cast.other_company else []

    hooks.add_deletion_blocker(blocker)
    try:
        client = login(cast.consultant)
        url = reverse("companies:delete", args=[cast.other_company.pk])
        page = client.get(url).content.decode()
        assert "It is under audit." in page and 'data-testid="confirm-delete"' not in page
        response = client.post(url, follow=True)
    finally:
        hooks._deletion_blockers.remove(blocker)
    assert Company.objects.filter(pk=cast.other_company.pk).exists()
    assert "This company cannot be deleted. It is under audit." in response.content.decode()


def test_delete_is_refused_while_an_application_is_live(login, cast):
    project = ProjectFactory(company=cast.company)
    ApplicationFactory(project=project)
    client = login(cast.consultant)
    response = client.post(reverse("companies:delete", args=[cast.company.pk]), follow=True)
    assert Company.objects.filter(pk=cast.company.pk).exists()
    assert "live application" in response.content.decode()


def test_delete_is_refused_while_client_users_belong_to_the_company(login, cast):
    company = CompanyFactory(organisation=cast.org)
    MembershipFactory(organisation=cast.org, role="client", company=company)
    response = login(cast.admin).post(reverse("companies:delete", args=[company.pk]), follow=True)
    assert Company.objects.filter(pk=company.pk).exists()
    assert "Client users belong to it" in response.content.decode()
