"""The members imports read dates with the shared cell parser: 2026年3月5日 (refused by the mobile
members import before the parsers were unified) is the same day as 2026-03-05 everywhere."""

from __future__ import annotations

import datetime

import pytest

from gongjian.core.tabular import write_csv
from gongjian.members.io_mobile import import_members
from gongjian.members.io_pairs import import_pairs
from gongjian.members.models import CadrePair, MobileMember
from tests.members.conftest import make_person

pytestmark = pytest.mark.django_db


def test_the_mobile_members_import_takes_a_chinese_date(cast) -> None:
    good = make_person(cast.village, "冯军", "61102319920101006")
    headers = ["姓名", "身份证号", "外出地点", "从事工作", "外出日期", "流入地组织代码", "联系电话"]
    rows = [["冯军", good.id_number, "西安", "保安", "2026年3月5日", cast.sibling_village.code, "138 0000 1111"]]
    import_members(actor=cast.village_user, data=write_csv(headers, rows), filename="members.csv")
    member = MobileMember.objects.get()
    assert member.left_on == datetime.date(2026, 3, 5) and member.phone == "13800001111"


def test_the_pairs_import_takes_a_chinese_date(cast, pairing, cadre, needy_member) -> None:
    headers = ["结对单位代码", "村组织代码", "干部身份证号", "困难党员身份证号", "困难群众姓名", "结对日期"]
    rows = [[cast.unit.code, cast.village.code, cadre.id_number, needy_member.id_number, "赵大娘", "2026年3月5日"]]
    import_pairs(actor=cast.unit_user, data=write_csv(headers, rows), filename="pairs.csv")
    assert CadrePair.objects.get().started_on == datetime.date(2026, 3, 5)
