"""Archive files over the API, with the standing cast: the unit adds a visit's photos
(multipart, checked as on the page: a file that is not the image it claims is a 400 naming
``photos``), fetches them with its token, removes a visit, attaches project and 五个一
evidence; an outsider gets 404; once the pair has ended a write is a 409."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from gongjian.records.models import Visit
from gongjian.records.services_archive import six_must_create
from gongjian.rounds.models import Pairing
from gongjian.rounds.services_pairing import pairing_end
from tests.api.helpers import assert_refused, bearer, is_chinese, post, session
from tests.conftest import Cast
from tests.records.test_files import PDF, jpeg_bytes

TODAY = datetime.date.today()


def photo(name: str = "走访.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes() if content is None else content, content_type="image/jpeg")


def visit_of(cast: Cast, signed: Pairing) -> int:
    body = {"date": TODAY.isoformat(), "visitor_level": "principal", "visitors": "李建国 书记", "content": "走访困难户"}
    created = post(session(cast.unit_user), f"/api/records/pairings/{signed.pk}/visits/", body)
    assert created.status_code == 201, created.content
    return int(created.json()["id"])


def test_visit_photos(cast: Cast, signed: Pairing) -> None:
    url = f"/api/records/visits/{visit_of(cast, signed)}/photos/"
    assert session(cast.outsider).post(url, {"photos": [photo()]}).status_code == 404
    assert session(cast.village_user).post(url, {"photos": [photo()]}).status_code == 403
    fake = session(cast.unit_user).post(url, {"photos": [photo("假.jpg", b"<html>not a photo</html>")]})
    assert fake.status_code == 400 and is_chinese(fake.json()["errors"]["photos"][0])
    client, _secret = bearer(cast.unit_user)
    added = client.post(url, {"photos": [photo(), photo("二.jpg")]})
    assert added.status_code == 201, added.content
    assert len(added.json()) == 2
    first = added.json()[0]["url"]
    fetched = client.get(first)
    assert fetched.status_code == 200 and b"".join(fetched.streaming_content) == jpeg_bytes()
    assert session(cast.outsider).get(first).status_code == 404
    assert session(cast.village_user).get(url).json() == added.json()
    too_many = client.post(url, {"photos": [photo(f"{n}.jpg") for n in range(8)]})
    assert too_many.status_code == 400 and "photos" in too_many.json()["errors"]


def test_visit_removed(cast: Cast, signed: Pairing) -> None:
    visit_id = visit_of(cast, signed)
    url = f"/api/records/visits/{visit_id}"
    assert session(cast.outsider).delete(url).status_code == 404
    assert session(cast.village_user).delete(url).status_code == 403
    assert session(cast.unit_user).delete(url).status_code == 204
    assert not Visit.objects.filter(pk=visit_id).exists()
    assert session(cast.unit_user).delete(url).status_code == 404


def test_project_and_five_one_evidence(cast: Cast, signed: Pairing) -> None:
    project = post(
        session(cast.unit_user),
        f"/api/records/pairings/{signed.pk}/projects/",
        {
            "name": "茶园改造",
            "goal": "改造 50 亩",
            "budget": "50000",
            "start": TODAY.isoformat(),
            "end": TODAY.isoformat(),
        },
    )
    assert project.status_code == 201, project.content
    url = f"/api/records/projects/{project.json()['id']}/evidence"
    pdf = SimpleUploadedFile("验收报告.pdf", PDF, content_type="application/pdf")
    assert session(cast.outsider).post(url, {"file": pdf, "note": "验收"}).status_code == 404
    pdf.seek(0)
    done = session(cast.unit_user).post(url, {"file": pdf, "note": "验收"})
    assert done.status_code == 201 and done.json()["note"] == "验收"
    got = session(cast.village_user).get(f"{url}/{done.json()['id']}")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert session(cast.outsider).get(f"{url}/{done.json()['id']}").status_code == 404
    html = SimpleUploadedFile("验收报告.pdf", b"<html></html>", content_type="application/pdf")
    bad = session(cast.unit_user).post(url, {"file": html})
    assert bad.status_code == 400 and is_chinese(bad.json()["errors"]["file"][0])

    target = session(cast.unit_user).put(
        f"/api/records/pairings/{signed.pk}/five-ones/branch_team",
        {"plan": "换届", "status": "in_progress"},
        content_type="application/json",
    )
    five_url = f"/api/records/five-ones/{target.json()['id']}/evidence"
    pdf.seek(0)
    assert session(cast.outsider).post(five_url, {"file": pdf}).status_code == 404
    pdf.seek(0)
    proven = session(cast.unit_user).post(five_url, {"file": pdf, "note": "换届结果"})
    assert proven.status_code == 201, proven.content
    proof = f"{five_url}/{proven.json()['id']}"
    assert session(cast.village_user).get(proof).status_code == 200
    assert session(cast.outsider).get(proof).status_code == 404
    pairing_end(actor=cast.city_admin, pairing=signed, reason="单位撤并")
    pdf.seek(0)
    assert assert_refused(session(cast.unit_user).post(five_url, {"file": pdf}), (409,))["code"] == "not_signed"


def test_six_must_evidence(cast: Cast, signed: Pairing) -> None:
    pdf = SimpleUploadedFile("会议记录.pdf", PDF, content_type="application/pdf")
    item = six_must_create(actor=cast.unit_user, pairing=signed, date=TODAY, kind="joint_meeting",
                           content="召开联席会议", evidence=pdf)  # fmt: skip
    client, _secret = bearer(cast.village_user)
    got = client.get(f"/api/records/six-musts/{item.pk}/evidence")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert session(cast.outsider).get(f"/api/records/six-musts/{item.pk}/evidence").status_code == 404
