"""The talent-pool import reads dates and phones with the shared cell parsers (a date typed
1987年3月4日 was refused before: the pool read only ISO-like dates)."""

from __future__ import annotations

import datetime

import pytest

from gongjian.core.tabular import write_xlsx
from gongjian.dispatch.models import Candidate
from gongjian.dispatch.tables import CANDIDATE_COLUMNS, candidate_import
from tests.conftest import Cast
from tests.dispatch.conftest import id_number

pytestmark = pytest.mark.django_db


def test_the_pool_import_takes_a_chinese_date(cast: Cast, skills: dict) -> None:  # type: ignore[type-arg]
    row = [
        "李明",
        "男",
        "1987年3月4日",
        id_number(),
        "138-0000-2222",
        "大学本科",
        "中共党员",
        cast.unit.code,
        "科员",
        "农业技术",
        cast.county.code,
    ]
    data = write_xlsx(CANDIDATE_COLUMNS, [row], sheet_title="人才库报名")
    assert candidate_import(actor=cast.committee_admin, data=data, filename="pool.xlsx") == 1
    candidate = Candidate.objects.get()
    assert candidate.birth_date == datetime.date(1987, 3, 4) and candidate.phone == "13800002222"
