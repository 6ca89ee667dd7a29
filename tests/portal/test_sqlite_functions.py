"""``split_part`` answers the same on SQLite (registered by the portal app) as on PostgreSQL,
so the dashboards' GROUP BY is one SQL statement on both databases."""

from __future__ import annotations

import pytest
from django.db import connection

from gongjian.portal.sqlite_functions import split_part

CASES = [("/1/4/17/", 1, ""), ("/1/4/17/", 2, "1"), ("/1/4/17/", 4, "17"), ("/1/4/17/", 5, ""), ("/1/4/", 9, "")]


@pytest.mark.parametrize(("text", "n", "expected"), CASES)
def test_split_part_in_sql(db: None, text: str, n: int, expected: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT split_part(%s, %s, %s)", [text, "/", n])
        assert cursor.fetchone()[0] == expected == split_part(text, "/", n)


def test_split_part_edges() -> None:
    assert split_part(None, "/", 1) is None and split_part("a/b", "/", -1) == "b"
    with pytest.raises(ValueError):
        split_part("a", "/", 0)
