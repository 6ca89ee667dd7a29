"""What the audit log's action codes mean, in words an auditor reads (登录, 会签工作实绩卡…).

One mapping for the whole platform: the log page, its search and its export all read it.
Codes are ``<entity>.<verb>`` as the services write them; a code missing here is still
shown, composed from its entity's and its verb's labels (``admin.organization.delete`` →
后台管理·组织·删除), and in the last resort as the code itself.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    # sign-in and access
    "account.login": _("登录"),
    "account.logout": _("退出登录"),
    "account.session_ended": _("会话超时结束"),
    "access_denied": _("越权访问被拒绝"),
    "audit.export": _("导出审计日志"),
    "account.create": _("新建账号"),
    "account.password_reset": _("重置密码"),
    "account.role_set": _("设置账号角色"),
    "account.unlock": _("解除账号锁定"),
    "account.import": _("导入账号"),
    "account.password_change": _("修改密码"),
    "account.otp_enrol": _("绑定动态口令"),
    "account.otp_verify": _("验证动态口令"),
    "account.otp_reset": _("重置动态口令"),
    "api_token.create": _("创建接口令牌"),
    "api_token.revoke": _("撤销接口令牌"),
    "api_token.use": _("使用接口令牌"),
    # registry
    "organization.create": _("新建组织"),
    "organization.update": _("修改组织"),
    "organization.import": _("导入组织名册"),
    "organization.import_row": _("导入组织（逐行）"),
    "organization.export": _("导出组织名册"),
    "person.create": _("新建人员"),
    "person.update": _("修改人员"),
    "person.import": _("导入人员名册"),
    "person.export": _("导出人员名册"),
    "person.view_full": _("查看人员完整信息"),
    "person.erase": _("删除人员个人信息"),
    "data_keys.rotate": _("轮换个人信息加密密钥"),
    "village_figure.set": _("填报村情数据"),
    "village_wish.set": _("填报村结对意愿"),
    "joint.create": _("新建联建组织"),
    "joint.import": _("导入联建组织"),
    "joint.export": _("导出联建组织"),
    "joint.member_add": _("联建组织增加成员"),
    "joint.member_remove": _("联建组织移除成员"),
    "joint.charter_adopt": _("通过联建章程"),
    # rounds
    "round.create": _("新建结对轮次"),
    "round.open": _("开放轮次（发布名录）"),
    "round.deadline": _("调整轮次时限"),
    "round.task_proposal": _("下达任务建议书"),
    "round.unit_capacity": _("设置单位结对名额"),
    "round.geography_import": _("导入对口安排表"),
    "intent.submit": _("提交结对意向"),
    "intent.withdraw": _("撤回结对意向"),
    "intent.reorder": _("调整意向顺序"),
    "allocation.run": _("运行组织分配"),
    "allocation.publish": _("发布分配结果"),
    "pairing.confirm": _("确认结对"),
    "pairing.decline_renewal": _("放弃续签"),
    "pairing.end": _("结束结对"),
    "pairing.replace": _("动态调整结对单位"),
    "pairing.partner_add": _("增加组合式帮扶单位"),
    "unit_plan.save": _("保存结对帮扶方案"),
    "agreement.generate": _("生成共建协议书"),
    "agreement.render": _("生成协议书预览"),
    "agreement.sign": _("签署共建协议书"),
    "agreement.record_signed": _("登记协议书已签署"),
    "agreement.download": _("下载共建协议书"),
    # records
    "visit.create": _("登记走访"),
    "visit.update": _("更正走访记录"),
    "visit.delete": _("删除走访记录"),
    "six_must.create": _("登记六个一"),
    "six_must.update": _("更正六个一记录"),
    "six_must.delete": _("删除六个一记录"),
    "delivery.create": _("登记五送"),
    "delivery.update": _("更正五送记录"),
    "delivery.delete": _("删除五送记录"),
    "project.create": _("新建共建项目"),
    "project.progress": _("更新项目进度"),
    "project.evidence": _("上传项目佐证"),
    "milestone.create": _("新增项目节点"),
    "milestone.complete": _("完成项目节点"),
    "contact.create": _("登记活动联系人"),
    "contact.delete": _("删除活动联系人"),
    "contact.prefill": _("从名册填入联系人"),
    "feedback.enter": _("登记意见反馈卡"),
    "feedback.answer": _("答复意见反馈卡"),
    "feedback.close": _("办结意见反馈卡"),
    "performance_card.save": _("填写工作实绩卡"),
    "performance_card.countersign": _("会签工作实绩卡"),
    "performance_card.return": _("退回工作实绩卡"),
    "performance_card.acknowledge": _("确认退回的工作实绩卡"),
    "quarterly_report.save": _("保存季度报告"),
    "member_report.record": _("登记党员季度报告"),
    "village_duty.record": _("登记村对共建单位的工作"),
    "inspection_notice.generate": _("生成督查通报"),
    "inspection_notice.download": _("下载督查通报"),
    # funds
    "funds.pledge.create": _("登记资金承诺"),
    "funds.transfer.create": _("登记资金拨付"),
    "funds.transfer.delete": _("删除资金拨付"),
    "funds.transfer.import": _("导入拨付记录"),
    "funds.receipt.confirm": _("确认资金到账"),
    "funds.use.create": _("登记资金使用"),
    "funds.disclosure.publish": _("发布村务公开"),
    "funds.feedback.send": _("向捐赠单位反馈"),
    "funds.feedback.read": _("阅读资金反馈"),
    "funds.export.pairing": _("导出结对资金台账"),
    "funds.export.village": _("导出村资金台账"),
    # compliance and dashboard
    "compliance.evaluate": _("合规检查"),
    "compliance.export": _("导出考核结果"),
    "compliance.overview_export": _("导出合规总览"),
    "dashboard.export": _("导出工作看板"),
    # dispatch
    "dispatch.candidate.apply": _("报名选派干部人才库"),
    "dispatch.candidate.recommend": _("单位推荐人选"),
    "dispatch.candidate.approve": _("考察通过入库"),
    "dispatch.candidate.reject": _("考察不通过"),
    "dispatch.candidate.import": _("导入人才库报名"),
    "dispatch.candidates.export": _("导出人才库"),
    "dispatch.needs.save": _("保存村情需求档案"),
    "dispatch.match.run": _("运行选派匹配"),
    "dispatch.match.confirm": _("确认选派方案"),
    "dispatch.appoint": _("任命选派干部"),
    "dispatch.assess": _("考核选派干部"),
    "dispatch.worklog.submit": _("提交驻村工作日志"),
    "dispatch.demo.generate": _("生成选派演示数据"),
    # members
    "mobile_member.register": _("登记流出党员"),
    "mobile_member.import": _("导入流动党员"),
    "mobile_member.export": _("导出流动党员"),
    "mobile_member.move": _("流动党员变更流入地"),
    "mobile_member.return": _("流动党员返回"),
    "mobile_member.view_full": _("查看流动党员完整信息"),
    "member_agreement.generate": _("生成流出党员管理协议书"),
    "member_agreement.sign": _("登记流出党员协议签订"),
    "member_agreement.download": _("下载流出党员管理协议书"),
    "member_reminder.create": _("生成流动党员提醒"),
    "member_letter.record": _("登记“七一”慰问信寄发"),
    "winter_forum.record": _("登记腊月座谈会"),
    "member_care.record": _("登记困难党员关爱"),
    "half_year_report.file": _("报送半年思想汇报"),
    "host_query.ask": _("流入地发函查询"),
    "host_query.answer": _("答复流入地查询"),
    "station.create": _("新建流动党员服务站"),
    "cadre_pair.create": _("登记“1+2”结对"),
    "cadre_pair.import": _("导入“1+2”结对"),
    "cadre_pair.export": _("导出“1+2”结对"),
    "cadre_pair.end": _("结束“1+2”结对"),
    "household_pair.create": _("登记党员联户"),
    "household_pair.end": _("结束党员联户"),
    "branch_pair.create": _("登记支部结对"),
    "branch_pair.end": _("结束支部结对"),
    "help_plan.create": _("制定帮扶计划"),
    "help_progress.add": _("登记帮扶进展"),
    "individual_delivery.record": _("登记个人帮扶"),
    "villager.create": _("登记联系群众"),
    "secretary_pay.record": _("登记村书记报酬"),
    "secretary_departure.record": _("登记村书记离任"),
    # practices of seeds 000 and 002 (五个一, commitments, the public's evaluation)
    "five_one.save": _("填写五个一目标"),
    "five_one.evidence": _("上传五个一佐证材料"),
    "commitment.add": _("公开承诺事项"),
    "commitment.report": _("报告承诺履行情况"),
    "commitment.review": _("评议承诺履行"),
    "evaluation.response": _("录入群众评议"),
    # notifications
    "notification.read": _("阅读通知"),
    "notification.read_all": _("全部通知标为已读"),
    # jobs and demo data
    "job.start": _("启动后台任务"),
    "job.finish": _("后台任务完成"),
    "job.cancel": _("取消后台任务"),
    "job.download": _("下载后台任务结果"),
    "job.files_cleanup": _("清理过期和遗留的任务文件"),
    "demo.generate": _("生成演示数据"),
    "demo.reset": _("清除演示数据"),
    "demo.records": _("生成演示档案"),
    "demo.members": _("生成演示党员结对"),
    "demo.round_bulk": _("生成演示轮次（批量）"),
    "demo.round_signed": _("生成演示轮次（已签约）"),
    "demo.practices": _("生成演示五个一与承诺"),
    "demo.evaluations": _("生成演示群众评议"),
}

# For codes composed at run time (``admin.<model>.<verb>``, ``dispatch.<sheet>.export``).
ENTITIES: dict[str, Promise] = {
    "admin": _("后台管理"),
    "dispatch": _("选派干部"),
    "organization": _("组织"),
    "person": _("人员"),
    "user": _("账号"),
    "round": _("轮次"),
    "pairing": _("结对"),
    "agreement": _("协议书"),
    "candidate": _("人选"),
    "candidates": _("人才库"),
    "appointments": _("任职"),
}
VERBS: dict[str, Promise] = {
    "create": _("新建"),
    "update": _("修改"),
    "delete": _("删除"),
    "export": _("导出"),
    "import": _("导入"),
    "end": _("结束"),
}


def action_label(code: str) -> str:
    """The action in words, in the active language (the code itself if nothing is known)."""
    known = ACTIONS.get(code)
    if known is not None:
        return str(known)
    parts = code.split(".")
    words = [ENTITIES.get(p) or VERBS.get(p) for p in parts]
    if len(parts) > 1 and all(w is not None for w in words[:1] + words[-1:]):
        return "·".join(str(w) if w is not None else p for w, p in zip(words, parts, strict=True))
    return code


def action_choices() -> list[tuple[str, str]]:
    """(code, label) of every known action, sorted by label, for the log's filter."""
    return sorted(((code, str(label)) for code, label in ACTIONS.items()), key=lambda pair: pair[1])


def codes_matching(text: str) -> list[str]:
    """The known codes whose label contains ``text``, in the active language or in Chinese
    (an auditor may type 会签 with the English interface on)."""
    text = text.strip().casefold()
    if not text:
        return []
    with translation.override("zh-hans"):
        chinese = {code: str(label).casefold() for code, label in ACTIONS.items()}
    return [code for code, label in ACTIONS.items() if text in str(label).casefold() or text in chinese[code]]
