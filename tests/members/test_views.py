"""Members pages: scope (404 outside), writes through the pages with audit rows, bad input
kept, exports masked unless permitted (audited), imports all-or-nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongjian.audit.models import AuditEntry
from gongjian.core.tabular import write_csv
from gongjian.members.models import CadrePair, HelpPlan, HostQuery, IndividualDelivery, MobileMember, ServiceStation
from gongjian.members.services_pairs import cadre_pair_create
from gongjian.members.services_reports import query_ask
from tests.members.conftest import make_person

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_pages_are_scoped(cast, pairing, cadre, needy_member, villager, member) -> None:
    pair = cadre_pair_create(
        actor=cast.unit_user, pairing=pairing, cadre=cadre, needy_member=needy_member, needy_villager=villager
    )
    query = query_ask(actor=cast.sibling_admin, member=member, question="请告知党费交纳情况")
    pages = [
        reverse("members:unit", args=[cast.unit.pk]),
        reverse("members:pairing", args=[pairing.pk]),
        reverse("members:pair", args=["cadre", pair.pk]),
        reverse("members:cadre_pair_create", args=[pairing.pk]),
    ]
    member_pages = [reverse("members:member", args=[member.pk]), reverse("members:query", args=[query.pk])]
    for url in pages + member_pages:
        assert client_for(cast.outsider).get(url).status_code == 404, url
    for url in pages:
        assert client_for(cast.sibling_admin).get(url).status_code == 404, url
        assert client_for(cast.unit_user).get(url).status_code == 200, url
    for url in member_pages:
        assert client_for(cast.village_user).get(url).status_code == 200, url  # origin
        assert client_for(cast.sibling_admin).get(url).status_code == 200, url  # host
    for name in ("members:index", "members:pairings", "members:members", "members:queries", "members:stations"):
        response = client_for(cast.outsider).get(reverse(name))
        assert response.status_code == 200
        assert "张秀英" not in response.content.decode() and "李建国" not in response.content.decode()
    listing = client_for(cast.unit_user).get(reverse("members:members")).content.decode()
    assert "张秀英" not in listing  # the unit is neither origin nor host
    village_page = client_for(cast.village_user).get(reverse("members:pair", args=["cadre", pair.pk])).content.decode()
    assert "138****1111" in village_page and "13800001111" not in village_page
    assert "记录五送" not in village_page  # the village reads, the unit writes


def test_cadre_pair_and_delivery_through_the_pages(cast, pairing, cadre, needy_member) -> None:
    client = client_for(cast.unit_user)
    url = reverse("members:cadre_pair_create", args=[pairing.pk])
    bad = client.post(
        url, {"cadre": cadre.pk, "needy_member": needy_member.pk, "villager_name": "", "villager_phone": "999"}
    )
    assert bad.status_code == 200 and "请选择已登记的困难群众" in bad.content.decode()
    assert 'value="999"' in bad.content.decode() and not CadrePair.objects.exists()
    response = client.post(
        url,
        {
            "cadre": cadre.pk,
            "needy_member": needy_member.pk,
            "villager_name": "赵大娘",
            "villager_phone": "13800001111",
            "villager_difficulty": "独居",
        },
    )
    pair = CadrePair.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("members:pair", args=["cadre", pair.pk])
    delivery_url = reverse("members:delivery", args=["cadre", pair.pk])
    kept = client.post(
        delivery_url, {"kind": "funds", "delivered_on": "2999-01-01", "content": "慰问金", "amount": "300"}
    )
    assert kept.status_code == 200 and "日期不能晚于今天" in kept.content.decode() and "慰问金" in kept.content.decode()
    client.post(
        delivery_url, {"kind": "funds", "delivered_on": TODAY.isoformat(), "content": "慰问金", "amount": "300"}
    )
    assert IndividualDelivery.objects.get().amount == 300
    assert client_for(cast.village_user).post(delivery_url, {"kind": "funds"}).status_code == 403
    assert client_for(cast.sibling_admin).post(delivery_url, {"kind": "funds"}).status_code == 404
    actions = set(AuditEntry.objects.filter(success=True).values_list("action", flat=True))
    assert {"villager.create", "cadre_pair.create", "individual_delivery.record"} <= actions


def test_report_and_query_through_the_pages(cast, member) -> None:
    year = TODAY.year - 1
    origin = client_for(cast.village_user)
    response = origin.post(
        reverse("members:report", args=[member.pk]),
        {
            "year": year,
            "half": 2,
            "channel": "phone",
            "submitted_on": TODAY.isoformat(),
            "work": "木工",
            "thoughts": "好",
        },
    )
    assert response.status_code == 302 and member.reports.get().on_behalf
    host = client_for(cast.sibling_admin)
    host.post(reverse("members:query_ask", args=[member.pk]), {"question": "请告知组织关系"})
    query = HostQuery.objects.get()
    assert host.post(reverse("members:query", args=[query.pk]), {"answer": "x"}).status_code == 403
    query.refresh_from_db()
    assert query.answered_at is None  # the host cannot answer its own query
    origin.post(reverse("members:query", args=[query.pk]), {"answer": "组织关系在花家村党支部"})
    query.refresh_from_db()
    assert query.answer == "组织关系在花家村党支部"


def test_member_export_is_masked_unless_permitted_and_audited(cast, member) -> None:
    url = reverse("members:members_export", args=["xlsx"])
    masked = load_workbook(io.BytesIO(client_for(cast.committee_admin).get(url + "?full=1").content)).active
    row = [c.value for c in masked[2]]
    assert row[0] == "张秀英" and "*" in row[1] and row[7] == "137****2222"
    full = load_workbook(io.BytesIO(client_for(cast.city_admin).get(url + "?full=1").content)).active
    assert [c.value for c in full[2]][7] == "13700002222"
    entries = AuditEntry.objects.filter(action="mobile_member.export").order_by("pk")
    assert [e.after["full_personal_data"] for e in entries] == [False, True]
    outsider = load_workbook(io.BytesIO(client_for(cast.outsider).get(url).content)).active
    assert outsider.max_row == 1


def test_member_import_rejects_the_whole_file_on_a_bad_row(cast) -> None:
    good = make_person(cast.village, "冯军", "61102319920101006")
    headers = ["姓名", "身份证号", "外出地点", "从事工作", "外出日期", "流入地组织代码", "联系电话"]
    rows = [
        ["冯军", good.id_number, "西安", "保安", "2025-03-01", cast.sibling_village.code, ""],
        ["某人", "61102319920101007X", "西安", "", "2025/13/01", "NOPE", "123"],
    ]
    client = client_for(cast.village_user)
    url = reverse("members:members_import")
    upload = io.BytesIO(write_csv(headers, rows))
    upload.name = "members.csv"
    page = client.post(url, {"file": upload}).content.decode()
    for reason in ("从事工作", "外出日期", "流入地组织代码", "联系电话", "身份证号"):
        assert reason in page
    assert not MobileMember.objects.exists()
    upload = io.BytesIO(write_csv(headers, rows[:1]))
    upload.name = "members.csv"
    client.post(url, {"file": upload})
    imported = MobileMember.objects.get()
    assert imported.person == good and imported.host == cast.sibling_village and imported.status == "pending"
    assert AuditEntry.objects.filter(action="mobile_member.import", success=True).count() == 1


def test_pairs_import_and_export(cast, pairing, cadre, needy_member) -> None:
    headers = ["结对单位代码", "村组织代码", "干部身份证号", "困难党员身份证号", "困难群众姓名", "困难群众电话"]
    bad = [[cast.unit.code, cast.village.code, needy_member.id_number, cadre.id_number, "", "1"]]
    client = client_for(cast.unit_user)
    url = reverse("members:pairs_import")
    upload = io.BytesIO(write_csv(headers, bad))
    upload.name = "pairs.csv"
    page = client.post(url, {"file": upload}).content.decode()
    assert "商南县农业农村局机关党委的人员名册中没有该身份证号" in page and not CadrePair.objects.exists()
    upload = io.BytesIO(
        write_csv(
            headers,
            [[cast.unit.code, cast.village.code, cadre.id_number, needy_member.id_number, "赵大娘", "13800001111"]],
        )
    )
    upload.name = "pairs.csv"
    client.post(url, {"file": upload})
    assert CadrePair.objects.get().needy_villager.name == "赵大娘"
    sheet = load_workbook(io.BytesIO(client.get(reverse("members:pairs_export", args=["xlsx"])).content)).active
    row = [c.value for c in sheet[2]]
    assert row[4] == "李建国" and "*" in row[5] and row[10] == "138****1111"
    assert (
        load_workbook(
            io.BytesIO(client_for(cast.sibling_admin).get(reverse("members:pairs_export", args=["xlsx"])).content)
        ).active.max_row
        == 1
    )
    assert AuditEntry.objects.filter(action="cadre_pair.export").count() == 2


def test_household_branch_plan_and_progress_pages(cast, pairing, cadre, needy_member) -> None:
    client = client_for(cast.unit_user)
    response = client.post(
        reverse("members:household_pair_create", args=[pairing.pk]),
        {"cadre": cadre.pk, "household_name": "刘家", "household_size": 4, "household_difficulty": "因病致贫"},
    )
    assert response.status_code == 302
    detail_url = response["Location"]
    kind, pk = detail_url.strip("/").split("/")[-2:]
    assert kind == "household"
    plan = client.post(
        reverse("members:plan", args=[kind, pk]),
        {
            "beneficiary": "household",
            "difficulty": "缺劳力",
            "goals": "增收",
            "measures": "公益岗位",
            "target_date": (TODAY + datetime.timedelta(days=90)).isoformat(),
        },
    )
    assert plan.status_code == 302
    page = client.get(detail_url).content.decode()
    assert "公益岗位" in page and 'id="id_plan' in page
    plan_pk = HelpPlan.objects.get().pk
    bad = client.post(
        reverse("members:progress", args=[kind, pk, plan_pk]),
        {"recorded_on": TODAY.isoformat(), "note": "上岗", "percent": 150},
    )
    assert bad.status_code == 200 and "上岗" in bad.content.decode()  # what was typed is kept
    client.post(
        reverse("members:progress", args=[kind, pk, plan_pk]),
        {"recorded_on": TODAY.isoformat(), "note": "已上岗", "percent": 50},
    )
    assert HelpPlan.objects.get().progress_percent == 50
    branch = client.post(
        reverse("members:branch_pair_create", args=[pairing.pk]),
        {"branch": cast.unit.pk, "needy_member": needy_member.pk},
    )
    assert branch.status_code == 302
    unit_page = client.get(reverse("members:unit", args=[cast.unit.pk])).content.decode()
    assert "刘家" in unit_page and "双结对" in unit_page and "50%" in unit_page
    assert client.post(reverse("members:pair_end", args=[kind, pk])).status_code == 302
    assert "已结束" in client.get(detail_url).content.decode()


def test_member_pages_agreement_move_station_and_full_view(cast, needy_member) -> None:
    client = client_for(cast.city_admin)
    response = client.post(
        reverse("members:register"),
        {
            "id_number": needy_member.id_number,
            "location": "西安",
            "work": "保安",
            "left_on": TODAY.isoformat(),
            "host_code": "NOPE",
        },
    )
    assert "找不到该组织代码" in response.content.decode() and 'value="保安"' in response.content.decode()
    response = client.post(
        reverse("members:register"),
        {
            "id_number": needy_member.id_number,
            "location": "西安",
            "work": "保安",
            "left_on": TODAY.isoformat(),
            "host_code": cast.sibling_village.code,
        },
    )
    member = MobileMember.objects.get()
    assert response["Location"] == reverse("members:member", args=[member.pk])
    client.post(reverse("members:agreement_generate", args=[member.pk]))
    pdf = client.get(reverse("members:agreement_pdf", args=[member.pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client_for(cast.outsider).get(reverse("members:agreement_pdf", args=[member.pk])).status_code == 404
    client.post(
        reverse("members:agreement_sign", args=[member.pk]), {"signed_on": TODAY.isoformat(), "branch_signer": "王书记"}
    )
    member.refresh_from_db()
    assert member.status == "out"
    client.post(reverse("members:stations"), {"name": "龙驹寨流动党员服务站", "organization": cast.sibling_county.pk})
    st = ServiceStation.objects.get()
    client.post(
        reverse("members:move", args=[member.pk]),
        {"moved_on": TODAY.isoformat(), "location": "丹凤", "work": "木工", "station": st.pk},
    )
    member.refresh_from_db()
    assert member.host == cast.sibling_county and member.periods.count() == 2
    page = client.get(reverse("members:member", args=[member.pk]) + "?full=1").content.decode()
    assert needy_member.phone in page
    assert AuditEntry.objects.filter(action="mobile_member.view_full", actor_username="city").count() == 1
    masked = (
        client_for(cast.committee_admin).get(reverse("members:member", args=[member.pk]) + "?full=1").content.decode()
    )
    assert needy_member.phone not in masked
    stations_page = client.get(reverse("members:stations")).content.decode()
    assert "龙驹寨流动党员服务站" in stations_page and "按服务站" in stations_page
    assert client.get(reverse("members:missing_reports")).status_code == 200
