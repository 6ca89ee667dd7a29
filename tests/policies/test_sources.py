"""The policy pages show each rule with its source: the comment attached to its key in the
shipped YAML, and "本地默认" where that comment says the number is the platform's own."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from gongjian.policies.sources import RuleSource, rule_sources, rule_sources_of_text
from tests.conftest import Cast

TEXT = """\
# 某地结对办法（seed 999）。
name: 某地
version: "1"

# 轮次（seed 999 第一条）
round:
  intent_deadline: "04-30"   # seed 999 第一条“4月30日前”
  extra_intents: 2           # local default
obligations:
  # seed 999 第二条“每年走访2次”；points 为本地默认
  - id: visit
    count: 2                 # seed 999 第二条“2次”
    at_risk: {lead_days: 60}
  - id: funds
    min_yuan: 20000  # seed 999 第三条 "#1"
# 分值均为 local default
dispatch:
  skill_points: 30
"""


def _by_path(text: str) -> tuple[str, dict[str, RuleSource]]:
    heading, rows = rule_sources_of_text(text)
    return heading, {row.path: row for row in rows}


def test_a_keys_own_comment_or_the_block_above_it_is_its_source() -> None:
    heading, rows = _by_path(TEXT)
    assert heading == "某地结对办法（seed 999）。"
    deadline = rows["round.intent_deadline"]
    assert deadline.value == '"04-30"' and deadline.source == "seed 999 第一条“4月30日前”"
    assert not deadline.local_default and not deadline.inherited
    extra = rows["round.extra_intents"]
    assert extra.local_default and extra.value == "2"
    count = rows["obligations[visit].count"]
    assert count.source == "seed 999 第二条“2次”" and not count.local_default
    # no comment of its own: the item's block applies; it cites a seed, so not all local default
    risk = rows["obligations[visit].at_risk"]
    assert risk.inherited and "每年走访2次" in risk.source and not risk.local_default
    # a "#" inside quotes is not a comment; a second item gets its id as name
    assert rows["obligations[funds].min_yuan"].source == 'seed 999 第三条 "#1"'
    # a block that only says local default makes its keys local defaults
    skill = rows["dispatch.skill_points"]
    assert skill.inherited and skill.local_default
    assert rows["round"].source == "轮次（seed 999 第一条）"


def test_shipped_shanghai_profile_cites_the_seed_for_its_visit_rule() -> None:
    _heading, rows = rule_sources("shanghai")
    by_path = {row.path: row for row in rows}
    count = by_path["obligations[visit_principal].count"]
    assert count.value == "1" and "至少走访1次" in count.source and not count.local_default
    assert by_path["obligations[visit_principal].points"].local_default
    assert by_path["obligations[funds_weak].min_yuan"].value == "20000"
    assert "每年不低于2万元" in by_path["obligations[funds_weak].min_yuan"].source
    assert by_path["round.extra_intents"].local_default


@pytest.mark.django_db
def test_the_profile_page_shows_each_rule_beside_its_source(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.village_user)
    response = client.get(reverse("policies:detail", args=["shanghai"]))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    row = html[html.index('data-key="obligations[visit_principal].count"') :]
    row = row[: row.index("</tr>")]
    assert "<code>1</code>" in row and "至少走访1次" in row and "本地默认" not in row
    row = html[html.index('data-key="obligations[visit_principal].points"') :]
    row = row[: row.index("</tr>")]
    assert "<code>10</code>" in row and "本地默认" in row
    listing = client.get(reverse("policies:list")).content.decode()
    assert reverse("policies:detail", args=["suifenhe"]) in listing


@pytest.mark.django_db
def test_the_policy_pages_need_a_login_and_an_unknown_profile_is_404(cast: Cast) -> None:
    anonymous = Client().get(reverse("policies:detail", args=["shanghai"]))
    assert anonymous.status_code == 302
    client = Client()
    client.force_login(cast.outsider)
    assert client.get(reverse("policies:detail", args=["nowhere"])).status_code == 404


def test_every_rule_of_every_shipped_profile_names_its_source() -> None:
    """Issue 16 point 19: each key beside its seed passage (or "local default"); only the
    profile's own description (name, place, version, source) needs none."""
    from gongjian.policies import profile_keys
    from gongjian.policies.sources import rule_sources

    description = {"name", "place", "version", "source"}
    for key in profile_keys():
        _title, rows = rule_sources(key)
        missing = [row.path for row in rows if not row.source and row.key not in description]
        assert not missing, (key, missing)
