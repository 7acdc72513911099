"""Receiving uploads over HTTP: each file's name as the client sent it, and a file read no
further than `UPLOAD_MAX_MB`.

Django's multipart parser keeps only the last part of a file name ("../../x.pdf" arrives as
"x.pdf"), and it reads (and spools to disk) a whole upload before anyone can look at its size.
The upload page and the upload API put an `UploadGuard` first among the request's upload
handlers (`guard(request)`, before anything reads the body). The guard parses the body itself,
through the documented `handle_raw_input` hook, with `ClientNameParser` (Django's parser,
noting each file name as sent), and it stops reading the moment a file passes the limit. Once
the body is parsed, `check(request)` raises the refusal (a ValidationError on `file`), so the
service is never called and nothing is stored.

Fields sent before the file (the CSRF token, `slot`, `next`: our forms put them first) are
kept when a file is cut short; whatever follows it is not read.
"""

from __future__ import annotations

import html

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http.multipartparser import MultiPartParser

from grants.workflow.documents import has_path_parts, name_refusal, size_refusal


class ClientNameParser(MultiPartParser):
    """Django's multipart parser; `client_names` lists every file name as the client sent it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_names: list[str] = []

    def sanitize_file_name(self, file_name):
        # Django decodes HTML entities before cutting the folders off: so do we.
        self.client_names.append(html.unescape(file_name))
        return super().sanitize_file_name(file_name)


class UploadGuard(FileUploadHandler):
    """The first upload handler of an upload view: names as sent, size capped while reading."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.UPLOAD_MAX_MB * 1024 * 1024
        self.client_names: list[str] = []
        self.too_large = False
        self._parsing = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if self._parsing:  # called again by the parser below: let it parse
            return None
        self._parsing = True
        parser = ClientNameParser(META, input_data, self.request.upload_handlers, encoding)
        try:
            return parser.parse()
        finally:
            self.client_names = parser.client_names

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large = True
            # Stop here: the rest of the body is not read, nothing of this file is kept.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) holds the file

    def refusal(self) -> ValidationError | None:
        if any(has_path_parts(name) for name in self.client_names):
            return name_refusal()
        if self.too_large:
            return size_refusal()
        return None


def guard(request) -> UploadGuard | None:
    """Put an UploadGuard first among the request's upload handlers (before the body is read)."""
    if hasattr(request, "_files"):  # already parsed: too late to guard
        return None
    upload_guard = UploadGuard(request)
    request.upload_handlers.insert(0, upload_guard)
    return upload_guard


def check(request) -> None:
    """Raise the guard's refusal, if any (reads the body if it was not read yet)."""
    request.POST  # noqa: B018 - parse now, through the guard
    for handler in request.upload_handlers:
        if isinstance(handler, UploadGuard):
            refusal = handler.refusal()
            if refusal is not None:
                raise refusal
