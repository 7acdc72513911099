"""Uploads judged by content, limited in size, names sanitised, every version kept; downloads
only through permission-checked views."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile

from core.api import RuleRefused
from grants.models import Document
from grants.workflow import document_upload
from grants.workflow.documents import sanitise_filename
from tests.grants.workflow.conftest import PDF_BYTES, PNG_BYTES


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{part}/document.xml", "<xml/>")
    return buffer.getvalue()


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "documents"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(application, user, name, content, slot="licence"):
    return document_upload(
        application=application,
        slot_code=slot,
        file=SimpleUploadedFile(name, content),
        actor=user,
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.pdf", PDF_BYTES, "application/pdf"),
        ("a.png", PNG_BYTES, "image/png"),
        ("a.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32, "image/jpeg"),
        (
            "a.docx",
            office_file("word"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "a.xlsx",
            office_file("xl"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_it_accepts_the_five_kinds_judged_by_content(cast, make_app, name, content, content_type):
    document = upload(make_app("preparing"), cast.consultant, name, content)
    assert document.content_type == content_type
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.file.read() == content


def test_every_upload_is_a_new_version_and_all_are_kept(cast, make_app):
    application = make_app("preparing")
    first = upload(application, cast.consultant, "v1.pdf", PDF_BYTES)
    second = upload(application, cast.client_user, "v2.pdf", PDF_BYTES + b"%2")
    assert (first.version, second.version) == (1, 2)
    assert Document.objects.filter(application=application).count() == 2
    assert second.uploaded_by == cast.client_user


def test_a_misnamed_file_gets_the_extension_of_its_content(cast, make_app):
    document = upload(make_app("preparing"), cast.consultant, "scan.jpg", PDF_BYTES)
    assert document.filename == "scan.jpg.pdf"


@pytest.mark.parametrize(
    ("name", "content", "field", "message"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "file", "Only PDF, PNG, JPEG"),
        ("a.docx", b"PK\x03\x04not really a zip", "file", "Only PDF, PNG, JPEG"),
        ("empty.pdf", b"", "file", "The file is empty."),
    ],
)
def test_it_refuses_bad_files_and_stores_nothing(
    cast, make_app, settings, name, content, field, message
):
    application = make_app("preparing")
    with pytest.raises(ValidationError) as error:
        upload(application, cast.consultant, name, content)
    assert error.value.message_dict[field][0].startswith(message)
    assert not Document.objects.exists() and not stored_files(settings)


def test_it_refuses_a_zip_that_is_not_an_office_document(cast, make_app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", "MZ")
    with pytest.raises(ValidationError):
        upload(make_app("preparing"), cast.consultant, "a.xlsx", buffer.getvalue())


def test_it_refuses_an_oversize_file(cast, make_app, settings):
    settings.UPLOAD_MAX_MB = 1
    big = PDF_BYTES + b"0" * (1024 * 1024)
    with pytest.raises(ValidationError) as error:
        upload(make_app("preparing"), cast.consultant, "big.pdf", big)
    assert error.value.message_dict == {"file": ["The file is larger than 1 MB."]}
    assert not Document.objects.exists() and not stored_files(settings)


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "a/../b.pdf"])
def test_it_refuses_a_name_with_a_path(cast, make_app, settings, name):
    application = make_app("preparing")
    with pytest.raises(ValidationError) as error:
        document_upload(
            application=application,
            slot_code="licence",
            file=File(io.BytesIO(PDF_BYTES), name=name),
            actor=cast.consultant,
        )
    assert error.value.message_dict == {"file": ["The file name may not contain folders or “..”."]}
    assert not Document.objects.exists() and not stored_files(settings)


def test_it_refuses_an_unknown_slot(cast, make_app, settings):
    with pytest.raises(ValidationError) as error:
        upload(make_app("preparing"), cast.consultant, "a.pdf", PDF_BYTES, slot="nope")
    assert error.value.message_dict == {
        "slot": ["This programme's checklist has no such document."]
    }
    assert not stored_files(settings)


def test_it_refuses_uploads_once_the_application_is_final(cast, make_app):
    with pytest.raises(RuleRefused):
        upload(make_app("withdrawn"), cast.consultant, "a.pdf", PDF_BYTES)


@pytest.mark.parametrize("who", ["other_client", "outsider"])
def test_only_staff_and_the_companys_clients_upload(cast, make_app, who):
    with pytest.raises(PermissionDenied):
        upload(make_app("preparing"), getattr(cast, who), "a.pdf", PDF_BYTES)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("营业执照 2026.pdf", "营业执照 2026.pdf"),
        ("bad\x00name\x1f.pdf", "badname.pdf"),
        ('what<>:"|?*.pdf', "what_______.pdf"),
        ("  ..hidden.pdf ", "hidden.pdf"),
        ("", "document"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_file_names_are_sanitised(raw, clean):
    assert sanitise_filename(raw) == clean


# --- over HTTP -------------------------------------------------------------------------------


def test_the_api_uploads_and_lists_documents(cast, make_app, api):
    application = make_app("preparing")
    client = api(cast.client_user)
    response = client.post(
        f"/api/v1/applications/{application.pk}/documents/",
        {"slot": "licence", "file": SimpleUploadedFile("营业执照.pdf", PDF_BYTES)},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {
        "id",
        "slot",
        "filename",
        "size",
        "sha256",
        "version",
        "uploaded_by",
        "uploaded_at",
    }
    assert (body["slot"], body["filename"], body["version"]) == ("licence", "营业执照.pdf", 1)
    assert body["uploaded_by"] == "kai_client"
    listed = client.get(f"/api/v1/applications/{application.pk}/documents/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"slot": "licence", "file": ("run.pdf", b"MZ\x90\x00" + b"\x00" * 100)}, "file"),
        ({"slot": "licence", "file": ("empty.pdf", b"")}, "file"),
        ({"slot": "unknown", "file": ("a.pdf", PDF_BYTES)}, "slot"),
        ({"slot": "licence"}, "file"),
    ],
)
def test_the_api_answers_bad_uploads_with_a_400_naming_the_field(cast, make_app, api, data, field):
    application = make_app("preparing")
    if "file" in data:
        data = {**data, "file": SimpleUploadedFile(*data["file"])}
    response = api(cast.consultant).post(
        f"/api/v1/applications/{application.pk}/documents/", data, format="multipart"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Document.objects.exists()


def test_the_api_refuses_an_oversize_upload(cast, make_app, api, settings):
    settings.UPLOAD_MAX_MB = 1
    application = make_app("preparing")
    response = api(cast.consultant).post(
        f"/api/v1/applications/{application.pk}/documents/",
        {"slot": "licence", "file": SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2**20)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is larger than 1 MB."]}


BOUNDARY = "gd-test-boundary-7MA4YWxk"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def multipart(filename: str, content: bytes, **fields: str) -> bytes:
    """A multipart body exactly as a client sends it (Django's test client would cut the
    folders off the file name before sending)."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


class CountingInput(io.BytesIO):
    """A request body that counts how much of it the server read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


PATH_NAMES = ["../../../etc/x.pdf", "..\\..\\boot.pdf", "a/../b.pdf", "docs/x.pdf", "..&#47;x.pdf"]
NAME_REFUSAL = {"file": ["The file name may not contain folders or “..”."]}


@pytest.mark.parametrize("name", PATH_NAMES)
def test_the_api_refuses_a_multipart_name_with_a_path(cast, make_app, api, settings, name):
    application = make_app("preparing")
    response = api(cast.consultant).generic(
        "POST",
        f"/api/v1/applications/{application.pk}/documents/",
        multipart(name, PDF_BYTES, slot="licence"),
        content_type=MULTIPART,
    )
    assert response.status_code == 400
    assert response.json() == NAME_REFUSAL
    assert not Document.objects.exists() and not stored_files(settings)


@pytest.mark.parametrize("name", PATH_NAMES)
def test_the_page_refuses_a_multipart_name_with_a_path(cast, make_app, login, settings, name):
    application = make_app("preparing")
    response = login(cast.client_user).generic(
        "POST",
        f"/applications/{application.pk}/documents/",
        multipart(name, PDF_BYTES, slot="licence"),
        content_type=MULTIPART,
    )
    assert response.status_code == 400
    assert "The file name may not contain folders or “..”." in response.content.decode()
    assert not Document.objects.exists() and not stored_files(settings)


def test_a_plain_multipart_name_is_kept(cast, make_app, api, settings):
    application = make_app("preparing")
    response = api(cast.consultant).generic(
        "POST",
        f"/api/v1/applications/{application.pk}/documents/",
        multipart("营业执照 2026.pdf", PDF_BYTES, slot="licence"),
        content_type=MULTIPART,
    )
    assert response.status_code == 201, response.content
    assert response.json()["filename"] == "营业执照 2026.pdf"
    (path,) = stored_files(settings)
    assert Path(settings.MEDIA_ROOT) in path.parents and ".." not in path.parts


@pytest.mark.parametrize("via", ["api", "page"])
def test_an_oversize_upload_is_cut_short_not_read_whole(cast, make_app, api, login, settings, via):
    settings.UPLOAD_MAX_MB = 1
    application = make_app("preparing")
    body = multipart("big.pdf", PDF_BYTES + b"0" * (8 * 2**20), slot="licence")
    stream = CountingInput(body)
    if via == "api":
        client, url = api(cast.consultant), f"/api/v1/applications/{application.pk}/documents/"
    else:
        client, url = login(cast.client_user), f"/applications/{application.pk}/documents/"
    response = client.generic("POST", url, body, content_type=MULTIPART, **{"wsgi.input": stream})
    assert response.status_code == 400
    message = "The file is larger than 1 MB."
    if via == "api":
        assert response.json() == {"file": [message]}
    else:
        assert message in response.content.decode()
    assert stream.bytes_read < 2 * 2**20  # the limit and a chunk, not the 8 MB sent
    assert not Document.objects.exists() and not stored_files(settings)


def test_an_upload_at_the_limit_is_accepted(cast, make_app, api, settings):
    settings.UPLOAD_MAX_MB = 1
    application = make_app("preparing")
    content = PDF_BYTES + b"0" * (2**20 - len(PDF_BYTES))
    response = api(cast.consultant).post(
        f"/api/v1/applications/{application.pk}/documents/",
        {"slot": "licence", "file": SimpleUploadedFile("edge.pdf", content)},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["size"] == 2**20


def test_the_page_upload_still_checks_csrf(cast, make_app, settings):
    from django.test import Client

    application = make_app("preparing")
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.client_user)
    response = client.post(
        f"/applications/{application.pk}/documents/",
        {"slot": "licence", "file": SimpleUploadedFile("l.pdf", PDF_BYTES)},
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_client"])
def test_outsiders_and_other_clients_cannot_list_or_upload(cast, make_app, api, who):
    application = make_app("preparing")
    client = api(getattr(cast, who))
    url = f"/api/v1/applications/{application.pk}/documents/"
    assert client.get(url).status_code == 404
    response = client.post(url, {"slot": "licence", "file": SimpleUploadedFile("a.pdf", PDF_BYTES)})
    assert response.status_code == 404


def test_the_download_is_an_attachment_with_the_sanitised_name(cast, make_app, api, login):
    application = make_app("preparing")
    document = upload(application, cast.consultant, "营业执照.pdf", PDF_BYTES)
    for response in (
        api(cast.client_user).get(f"/api/v1/documents/{document.pk}/download/"),
        login(cast.consultant).get(f"/documents/{document.pk}/download/"),
    ):
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=utf-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf" in disposition


@pytest.mark.parametrize("who", ["outsider", "other_client"])
def test_outsiders_and_other_clients_get_404_on_download(cast, make_app, api, login, who):
    document = upload(make_app("preparing"), cast.consultant, "a.pdf", PDF_BYTES)
    user = getattr(cast, who)
    assert api(user).get(f"/api/v1/documents/{document.pk}/download/").status_code == 404
    assert login(user).get(f"/documents/{document.pk}/download/").status_code == 404


def test_media_urls_are_not_served(cast, make_app, login):
    document = upload(make_app("preparing"), cast.consultant, "a.pdf", PDF_BYTES)
    assert login(cast.consultant).get(document.file.url).status_code == 404
