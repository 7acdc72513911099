"""API answers in the caller's saved language, else Accept-Language, on every endpoint."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from core.api import exception_handler
from tests.factories import ProjectFactory

CJK = re.compile(r"[\u4e00-\u9fff]")


def _save_language(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_field_errors_are_in_the_saved_language_without_accept_language(api, cast):
    _save_language(cast.consultant, "zh-hans")
    response = api(cast.consultant).post("/api/v1/companies/", {"uscc": "123"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert CJK.search(body["name"][0]) and CJK.search(body["uscc"][0]), body
    assert response["Content-Language"] == "zh-hans"


def test_refusal_reasons_are_in_the_saved_language(api, cast):
    _save_language(cast.consultant, "zh-hans")
    response = api(cast.consultant).delete(f"/api/v1/companies/{cast.company.pk}/")
    assert response.status_code == 400
    assert response.json()["detail"] == "该企业不能删除。"
    assert "仍有客户用户属于该企业" in response.json()["reasons"][0]


def test_permission_messages_are_in_the_saved_language(api, cast):
    _save_language(cast.client_user, "zh-hans")
    project = ProjectFactory(company=cast.company)
    response = api(cast.client_user).patch(
        f"/api/v1/projects/{project.pk}/", {"title": "X"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "客户可以查看企业和项目，但不能修改。"


def test_the_saved_language_wins_over_accept_language(api, cast):
    _save_language(cast.consultant, "en")
    response = api(cast.consultant).post(
        "/api/v1/companies/", {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.json()["name"] == ["This field is required."]


def test_without_a_saved_language_accept_language_decides(api, cast):
    _save_language(cast.consultant, "")
    client = api(cast.consultant)
    chinese = client.post("/api/v1/companies/", {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert CJK.search(chinese.json()["name"][0])
    english = client.post("/api/v1/companies/", {}, format="json")
    assert english.json()["name"] == ["This field is required."]


def test_a_django_permission_denied_keeps_its_translated_message():
    with translation.override("zh-hans"):
        response = exception_handler(PermissionDenied(translation.gettext_lazy("Role")), {})
        assert response.status_code == 403
        assert response.data["detail"] == "角色"


@pytest.mark.parametrize("exc", [PermissionDenied(), PermissionDenied("")])
def test_a_django_permission_denied_without_a_message_gets_the_generic_one(exc):
    with translation.override("en"):
        response = exception_handler(exc, {})
    assert response.status_code == 403
    assert response.data["detail"] == "You do not have permission to perform this action."
