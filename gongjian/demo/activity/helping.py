"""Demo unit plans (结对帮扶方案, seed 004 doc 1 (十): "要明确分管领导和负责部门，研究制定结对
帮扶方案"): where the round's profile asks for them, most units with a live pair have named
their leader in charge and responsible department and written their plan; the rest show on
the round's plans page as not yet filled in. The demo accounts' own unit is left to fill its
plan in during the walk-through.
"""

from __future__ import annotations

import random
from collections.abc import Collection

from gongjian.audit.services import audit_event
from gongjian.demo.registry.names import person_name
from gongjian.policies import load_profile
from gongjian.rounds.models import Pairing, PairingStatus, Round, UnitPlan

POSTS = ("党委副书记", "副局长", "副主任", "副总经理", "副院长", "纪委书记")
DEPARTMENTS = ("办公室", "机关党委", "党群工作部", "组织人事科", "综合科", "党建工作部")
PLAN = (
    "一、帮扶目标：围绕{villages}的发展需要，三年内帮助村党组织建强班子、发展产业、办好实事。\n"
    "二、帮扶措施：班子成员每年到村走访，分管领导每季度到村；每年共同确定帮扶项目并落实资金；"
    "组织党员与困难群众结对，开展技能培训和消费帮扶。\n"
    "三、工作保障：{department}负责日常联络和台账，每月填报工作实绩卡，年底向本级党委报告。"
)


def generate_unit_plans(round_: Round, *, seed: int, keep: Collection[int] = (), share: float = 0.85) -> int:
    """Write the plans of about ``share`` of the round's units with a live pair (those of
    ``keep`` left out) where its profile has ``helping_side.plan_required``; returns how many."""
    if not load_profile(round_.policy_key).helping_side.plan_required:
        return 0
    rng = random.Random(seed)
    villages: dict[int, list[str]] = {}
    live = Pairing.objects.filter(round=round_).exclude(status=PairingStatus.ENDED)
    for unit_id, village in live.order_by("unit_id", "pk").values_list("unit_id", "village__name"):
        villages.setdefault(unit_id, []).append(village)
    plans = []
    for unit_id, names in villages.items():  # in unit id order: the same on every generation
        if unit_id in keep or rng.random() >= share:
            continue
        department = rng.choice(DEPARTMENTS)
        plans.append(
            UnitPlan(
                round=round_,
                unit_id=unit_id,
                leader_name=person_name(rng, male=rng.random() < 0.6),
                leader_post=rng.choice(POSTS),
                department=department,
                plan=PLAN.format(villages="、".join(names), department=department),
            )
        )
    UnitPlan.objects.bulk_create(plans, batch_size=2000)
    audit_event(  # one row for the batch, as the demo's other generators
        "demo.generate",
        actor=None,
        target=round_,
        scope_path=round_.scope.path,
        after={"unit_plans": len(plans)},
    )
    return len(plans)
