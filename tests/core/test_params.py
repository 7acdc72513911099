import pytest
from django.test import RequestFactory

from core.params import parse_id, parse_index, safe_next


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (5, 5),
        ("²", None),
        ("١٢", None),
        ("-3", None),
        ("0", None),
        ("1e3", None),
        ("", None),
        (None, None),
        (True, None),
        ("99999999999999999999", None),
    ],
)
def test_parse_id_accepts_only_plain_positive_ids(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0),
        (" 3 ", 3),
        (7, 7),
        ("199", 199),
        ("200", None),
        ("²", None),
        ("١", None),
        ("-1", None),
        ("", None),
        (None, None),
        ("99999999999999999999", None),
    ],
)
def test_parse_index_accepts_only_plain_row_numbers_below_the_limit(value, expected):
    assert parse_index(value, limit=200) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/applications/3/", "/applications/3/"),
        ("²", ""),
        ("https://evil.example/", ""),
        ("//evil.example/", ""),
        ("", ""),
        (None, ""),
        ("/\\evil", ""),
    ],
)
def test_safe_next_keeps_only_paths_on_this_site(value, expected):
    request = RequestFactory().get("/")
    assert safe_next(request, value) == expected
