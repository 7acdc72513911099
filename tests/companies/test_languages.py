"""Every page of this app reads in Simplified Chinese for a user who chose it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.companies.factories import ContactFactory
from tests.factories import CostLineFactory, ProjectFactory


@pytest.fixture
def zh(cast):
    for user in (cast.admin, cast.consultant):
        user.language = "zh-hans"
        user.save()
    return cast


@pytest.mark.parametrize(
    ("name", "arg", "expected"),
    [
        ("companies:list", None, ["添加企业", "统一社会信用代码", "浦东新区"]),
        ("companies:create", None, ["添加联系人", "统一社会信用代码", "纳税信用等级"]),
        ("companies:detail", "company", ["基本信息", "联系人", "新建项目", "申报"]),
        ("companies:edit", "company", ["编辑企业", "保存"]),
        ("companies:delete", "company", ["删除企业", "该企业不能删除"]),
        ("companies:project_create", "company", ["费用明细", "添加一行", "重点领域"]),
        ("companies:project_detail", "project", ["总计", "费用", "合计"]),
        ("companies:project_edit", "project", ["编辑项目", "上移", "下移", "移除"]),
        ("companies:project_delete", "project", ["删除项目"]),
        ("companies:members", None, ["添加成员", "发送邀请", "最近动态", "管理员"]),
    ],
)
def test_pages_are_in_chinese(login, zh, name, arg, expected):
    project = ProjectFactory(company=zh.company)
    CostLineFactory(project=project)
    ContactFactory(company=zh.company)
    objects = {"company": zh.company.pk, "project": project.pk}
    url = reverse(name, args=[objects[arg]] if arg else [])
    html = login(zh.admin).get(url).content.decode()
    assert 'lang="zh-CN"' in html
    for text in expected:
        assert text in html, text


def test_form_errors_are_in_chinese(login, zh):
    response = login(zh.consultant).post(
        reverse("companies:create"),
        {"name": "", "uscc": "91330100799655058C", "district": "pudong", "contacts-TOTAL_FORMS": 0,
         "contacts-INITIAL_FORMS": 0},
    )  # fmt: skip
    html = response.content.decode()
    assert "该字段是必填项" in html
    assert "校验码不符：此代码的最后一位应为 B" in html
