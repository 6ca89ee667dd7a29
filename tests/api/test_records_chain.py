"""The reporting chain over the API, with the standing cast: the unit records its party
members' quarterly reports (anyone else 404), the admins generate and download the
half-year inspection notice of their subtree (an outsider 404); a refusal is a 409 with a
Chinese detail."""

from __future__ import annotations

import datetime

from gongjian.orgs.models import Person
from gongjian.records.selectors_reports import current_quarter
from tests.api.helpers import assert_refused, bearer, is_chinese, post, session
from tests.conftest import Cast

TODAY = datetime.date.today()


def test_member_reports_by_the_unit(cast: Cast) -> None:
    year, quarter = current_quarter()
    person = Person.objects.get(organization=cast.unit, name="李建国")
    body = {"person_id": person.pk, "year": year, "quarter": quarter, "content": "学习党章，完成本职工作"}
    for stranger in (cast.outsider, cast.committee_admin, cast.village_user):
        assert session(stranger).get("/api/records/member-reports/").status_code == 404
        assert post(session(stranger), "/api/records/member-reports/", body).status_code == 404
    other = Person.objects.get(organization=cast.village, name="张秀英")
    assert (
        post(session(cast.unit_user), "/api/records/member-reports/", {**body, "person_id": other.pk}).status_code
        == 404
    )
    client, _secret = bearer(cast.unit_user)
    created = post(client, "/api/records/member-reports/", body)
    assert created.status_code == 201, created.content
    rows = client.get(f"/api/records/member-reports/?year={year}&quarter={quarter}").json()
    assert [(r["name"], r["report"]["id"]) for r in rows] == [("李建国", created.json()["id"])]
    assert assert_refused(post(client, "/api/records/member-reports/", body), (409,))["code"] == "duplicate"
    future = post(client, "/api/records/member-reports/", {**body, "year": year + 1})
    assert future.status_code == 400 and is_chinese(future.json()["errors"]["quarter"][0])


def test_inspection_notice(cast: Cast) -> None:
    body = {"organization_id": cast.county.pk, "year": TODAY.year, "half": 1}
    assert post(session(cast.outsider), "/api/records/notices/", body).status_code == 404
    assert post(session(cast.sibling_admin), "/api/records/notices/", body).status_code == 404
    created = post(session(cast.committee_admin), "/api/records/notices/", body)
    assert created.status_code == 201, created.content
    notice = created.json()
    assert notice["organization"] == "商南县委" and len(notice["sha256"]) == 64
    url = f"/api/records/notices/{notice['id']}"
    assert session(cast.city_admin).get(url).json()["id"] == notice["id"]
    assert session(cast.outsider).get(url).status_code == 404
    assert session(cast.outsider).get(f"{url}/pdf").status_code == 404
    assert session(cast.unit_user).get("/api/records/notices/").json()["count"] == 0
    pdf = session(cast.committee_admin).get(f"{url}/pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    later = post(session(cast.committee_admin), "/api/records/notices/", {**body, "year": TODAY.year + 1})
    assert later.status_code == 400 and is_chinese(later.json()["errors"]["half"][0])
