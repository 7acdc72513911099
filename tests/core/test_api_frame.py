from __future__ import annotations

import re


def test_me_with_a_token(api, cast):
    response = api(cast.client_user).get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "kai_client"
    assert body["organisation"] == cast.org.name
    assert body["role"] == "client"
    assert body["company"] == cast.company.pk


def test_me_with_the_browser_session(login, cast):
    response = login(cast.consultant).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["role"] == "consultant"
    assert response.json()["company"] is None


def test_the_api_needs_credentials(api, db):
    response = api().get("/api/v1/me/")
    assert response.status_code == 401


def test_the_schema_and_docs_are_served_locally(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert not re.search(r'(src|href)="https?://', html)
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert client.get(asset).status_code == 200, asset


def test_the_schema_is_valid_openapi_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert (tmp_path / "s.yml").read_text().startswith("openapi: 3")
