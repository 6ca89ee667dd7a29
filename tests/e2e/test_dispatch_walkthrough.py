"""Issue 6: a candidate's way from application to appointment, walked through the browser.

The village (花家村, weak) states its situation and the talent it needs. A cadre of the
county's agriculture bureau volunteers: the bureau's user fills in the application (skills,
wishes: 商南县 and 花家村 by its code) and recommends it; the county's organization
department vets it into the pool, runs the matching, reads the match with its reasons and the
village left without a cadre with its reason, and confirms: the candidate becomes 花家村's
first secretary for the profile's term. Last, the bureau's user files the cadre's work log
for this month and the county sees it.

Every step a person takes goes through the pages; the database is written only to set up
the cast and a second village's needs, and read only to check the outcome at the end.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from gongjian.audit.models import AuditEntry
from gongjian.dispatch.models import Appointment, Candidate, CandidateStatus, Skill, StepKind, WorkLog
from gongjian.dispatch.services_pool import needs_profile_save
from gongjian.dispatch.vocabulary import ensure_skills
from tests.conftest import PASSWORD, Cast, fix_check
from tests.dispatch.conftest import POLICY, POLICY_KEY
from tests.e2e.conftest import People, screenshot

NAME = "赵志远"
ID_NUMBER = fix_check("611023198805010010")


@pytest.fixture
def people(browser: Browser, live_server, transactional_db, settings, tmp_path: Path) -> Iterator[People]:  # type: ignore[no-untyped-def]
    (tmp_path / f"{POLICY_KEY}.yaml").write_text(POLICY, "utf-8")
    settings.POLICY_DIR = tmp_path
    crowd = People(browser, live_server.url, PASSWORD)
    yield crowd
    crowd.close()


def test_candidate_from_application_to_appointment(people: People, cast: Cast) -> None:
    ensure_skills()
    # 王家沟村 (lax) also asks for a cadre, with legal skills.
    needs_profile_save(
        actor=cast.committee_admin,
        village=cast.other_village,
        population=800,
        industries="核桃",
        problems="班子软弱",
        skills=[Skill.objects.get(code="law")],
        cadres_needed=1,
    )

    # 1. The village states its situation and needs (村情需求档案).
    village = people["village"]
    village.goto("/dispatch/villages/")
    village.get_by_role("link", name="建档", exact=True).click()
    village.get_by_label("人口").fill("1260")
    village.get_by_label("主要产业").fill("茶叶、核桃")
    village.get_by_label("突出问题").fill("村集体经济薄弱，缺懂技术、会电商的带头人")
    village.get_by_label("农业技术").check()
    village.get_by_label("电子商务").check()
    village.get_by_label("需要选派干部人数").fill("1")
    screenshot(village, "dispatch-01-needs-profile")
    village.get_by_role("button", name="保存").click()
    expect(village.locator(".message")).to_contain_text("村情需求档案已保存")

    # 2. The unit registers its cadre's voluntary application.
    unit = people["unit"]
    unit.goto("/dispatch/candidates/")
    unit.get_by_role("link", name="报名", exact=True).click()
    unit.get_by_label("姓名").fill(NAME)
    unit.get_by_label("性别").select_option(label="男")
    unit.get_by_label("出生日期").fill("1988-05-01")
    unit.get_by_label("身份证号").fill("611023198805010011")  # a wrong check character first
    unit.get_by_label("手机号码").fill("13800001111")
    unit.get_by_label("学历").select_option(label="大学本科")
    unit.get_by_label("政治面貌").select_option(label="中共党员")
    unit.get_by_label("职务").fill("农技站站长")
    unit.get_by_label("农业技术").check()
    unit.get_by_label("电子商务").check()
    unit.get_by_label("第一意向区县").select_option(label="商南县委")
    unit.get_by_label("意向村（组织代码）").fill(cast.village.code)
    unit.get_by_role("button", name="提交报名").click()
    expect(unit.locator(".error-text")).to_contain_text("身份证号校验位不正确")
    expect(unit.get_by_label("姓名")).to_have_value(NAME)  # what was typed is kept
    unit.get_by_label("身份证号").fill(ID_NUMBER)
    unit.get_by_role("button", name="提交报名").click()
    expect(unit.locator("h1")).to_contain_text("已报名")
    expect(unit.locator(".facts")).to_contain_text("611023********" + ID_NUMBER[-4:])  # masked
    screenshot(unit, "dispatch-02-applied")

    # 3. The unit recommends.
    unit.get_by_label("意见").fill("该同志熟悉茶叶种植和网上销售，同意推荐")
    unit.get_by_role("button", name="推荐").click()
    expect(unit.locator("h1")).to_contain_text("单位已推荐")

    # 4. The organization department vets: into the pool.
    county = people["county"]
    county.goto("/dispatch/candidates/?status=recommended")
    county.get_by_role("link", name=NAME).click()
    county.get_by_label("意见").fill("经考察，政治素质好，群众基础好")
    county.get_by_role("button", name="考察通过，入库").click()
    expect(county.locator("h1")).to_contain_text("已入库")
    expect(county.locator(".steps")).to_contain_text("单位推荐")
    expect(county.locator(".steps")).to_contain_text("经考察，政治素质好")
    screenshot(county, "dispatch-03-pooled")

    # 5. The matching run: the match with its reasons, the unmatched village with its reason.
    county.goto("/dispatch/runs/")
    county.get_by_role("button", name="运行匹配").click()
    row = county.locator(".run-pairs tbody tr").filter(has_text=NAME)
    expect(row).to_contain_text("花家村党支部")
    expect(row).to_contain_text("本人意向 60")
    expect(row).to_contain_text("重点村 40")
    expect(row).to_contain_text("专长对口 60")
    screenshot(county, "dispatch-04-run")
    county.get_by_role("link", name="未匹配到干部的村").click()
    expect(county.locator("table")).to_contain_text("王家沟村党支部")
    # The only candidate wished for this county went to the weak village, where he scores higher.
    expect(county.locator("table")).to_contain_text("1 名可选人选均已匹配到其他村")
    screenshot(county, "dispatch-05-unmatched")

    # 6. Confirm: the candidate becomes the village's first secretary.
    county.get_by_role("link", name="匹配结果").click()
    county.get_by_label("任职").select_option(label="第一书记")
    start = timezone.localdate().replace(day=1)
    county.get_by_label("任期开始").fill(start.isoformat())
    county.get_by_label("激励保障措施").fill("保留原单位待遇，每月驻村补助；考核优秀的优先提拔")
    county.get_by_role("button", name="确认选派（任命采纳的匹配）").click()
    expect(county.locator(".message")).to_contain_text("已确认选派 1 人")
    county.get_by_role("link", name=NAME).click()
    expect(county.locator("h1")).to_contain_text("花家村党支部第一书记")
    screenshot(county, "dispatch-06-appointed")

    # 7. The cadre's monthly work log (filed by the unit for them), seen by the county.
    unit.goto("/dispatch/appointments/")
    unit.get_by_role("link", name=NAME).click()
    unit.get_by_label("月份").fill(start.strftime("%Y-%m"))
    unit.get_by_label("本月工作").fill("走访农户 46 户；联系电商平台，帮助销售春茶 800 斤")
    unit.get_by_role("button", name="提交工作日志").click()
    expect(unit.locator(".message")).to_contain_text("本月工作日志已提交")
    county.reload()
    expect(county.locator("table")).to_contain_text("帮助销售春茶 800 斤")
    screenshot(county, "dispatch-07-worklog")

    # The outcome in the database.
    candidate = Candidate.objects.get(id_number=ID_NUMBER)
    assert candidate.status == CandidateStatus.APPOINTED
    assert list(candidate.steps.values_list("kind", flat=True)) == [
        StepKind.APPLY,
        StepKind.RECOMMEND,
        StepKind.APPROVE,
        StepKind.APPOINT,
    ]
    appointment = Appointment.objects.get(candidate=candidate)
    assert appointment.village == cast.village and appointment.role == "first_secretary"
    assert appointment.term_end == start.replace(year=start.year + 2) - datetime.timedelta(days=1)
    assert WorkLog.objects.filter(appointment=appointment, month=start).exists()
    actions = set(AuditEntry.objects.filter(success=True).values_list("action", flat=True))
    assert {
        "dispatch.needs.save",
        "dispatch.candidate.apply",
        "dispatch.candidate.recommend",
        "dispatch.candidate.approve",
        "dispatch.match.run",
        "dispatch.match.confirm",
        "dispatch.appoint",
        "dispatch.worklog.submit",
    } <= actions
